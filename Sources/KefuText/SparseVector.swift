/// A sparse row: column indices with their values.
struct SparseVector: Sendable {
    var columns: [Int32] = []
    var values: [Float] = []

    var squaredNorm: Float { values.reduce(0) { $0 + $1 * $1 } }
}

/// Rows of sparse vectors stored back to back (CSR layout), so training sweeps
/// memory in order.
struct SparseMatrix: Sendable {
    private(set) var rowStarts: [Int] = [0]
    private(set) var columns: [Int32] = []
    private(set) var values: [Float] = []

    var rowCount: Int { rowStarts.count - 1 }

    mutating func append(_ row: SparseVector) {
        columns.append(contentsOf: row.columns)
        values.append(contentsOf: row.values)
        rowStarts.append(columns.count)
    }

    func row(_ i: Int) -> Range<Int> { rowStarts[i]..<rowStarts[i + 1] }

    /// Rows at `indices`, in that order.
    func rows(_ indices: [Int]) -> SparseMatrix {
        var subset = SparseMatrix()
        for i in indices {
            let range = row(i)
            subset.columns.append(contentsOf: columns[range])
            subset.values.append(contentsOf: values[range])
            subset.rowStarts.append(subset.columns.count)
        }
        return subset
    }
}

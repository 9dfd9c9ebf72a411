import FluentKit

extension SchemaBuilder {
    /// The columns every rollup table has: the workspace, the block of time (`hour`: hours
    /// since 1970, UTC; `day`: a UTC day, or the Monday that begins a week, as days since
    /// 1970), the slice and metric, and what the block's cells sum to.
    func rollupColumns(time: FieldKey) -> SchemaBuilder {
        field("workspace_id", .uuid, .required)
            .field(time, .int64, .required)
            /// "all", or one slice: "inbox:<id>", "team:<id>", "agent:<id>", "category:<name>",
            /// "language:<code>", "priority:<p>", "tier:<t>", "channel:<kind>".
            .field("dim", .string, .required)
            .field("metric", .string, .required)
            /// What the metric needs beside: a score, a clock, a reason; "" when nothing.
            .field("detail", .string, .required)
            /// A duration's histogram bucket; -1 for counts.
            .field("bin", .int, .required)
            .field("n", .int64, .required)
            .field("total", .double, .required)
            .field("total_business", .double, .required)
    }
}

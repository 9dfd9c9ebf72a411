import Foundation
import KefuText

/// Re-ranks the knowledge base's word matches by meaning, with an embeddings provider:
/// "my coins never showed up" and "deposit has not arrived" share no words but one meaning.
/// Article vectors are cached, so a question costs one embedding call.
struct SemanticRanker: Sendable {
    let embeddings: EmbeddingsClient
    let cache: ArticleVectors

    struct Ranked: Sendable {
        let best: ArticleHit
        let evidence: RetrievalEvidence
    }

    func embedQuestions(_ questions: [String]) async throws -> [[Float]] {
        try await embeddings.embed(questions, as: .query)
    }

    /// The candidate that means most nearly what was asked (word score as a tie-breaker),
    /// with the evidence the semantic confidence model reads.
    func rank(question vector: [Float], hits: [ArticleHit]) async throws -> Ranked? {
        guard !hits.isEmpty else { return nil }
        let vectors = try await cache.vectors(for: hits, using: embeddings)
        let topWords = hits.map(\.score).max() ?? 1
        let scored = zip(hits, vectors).map { hit, article in
            (hit: hit, similarity: EmbeddingsClient.cosine(vector, article), rank: EmbeddingsClient.cosine(vector, article) + 0.1 * hit.score / max(topWords, 1e-9))
        }.sorted { $0.rank > $1.rank }
        let best = scored[0]
        let others = scored.dropFirst()
        let evidence = RetrievalEvidence(topScore: best.hit.score, secondScore: others.map(\.hit.score).max() ?? 0,
                                         similarity: best.similarity, secondSimilarity: others.map(\.similarity).max() ?? 0)
        return Ranked(best: best.hit, evidence: evidence)
    }
}

/// Embeddings of article passages as the bot shows them (title and extract), by content, so
/// an edited article is embedded again and an unchanged one never is.
actor ArticleVectors {
    private var vectors: [String: [Float]] = [:]
    static let capacity = 20_000

    func vectors(for hits: [ArticleHit], using client: EmbeddingsClient) async throws -> [[Float]] {
        let texts = hits.map { "\($0.title)\n\($0.extract)" }
        let missing = Array(Set(texts.filter { vectors[$0] == nil }))
        if !missing.isEmpty {
            let fresh = try await client.embed(missing, as: .passage)
            if vectors.count + fresh.count > Self.capacity { vectors.removeAll(keepingCapacity: true) }
            for (text, vector) in zip(missing, fresh) { vectors[text] = vector }
        }
        return texts.map { vectors[$0] ?? [] }
    }
}

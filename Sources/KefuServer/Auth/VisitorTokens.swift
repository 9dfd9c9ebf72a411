import Foundation
import JWTKit

/// Signed visitor tokens: the widget holds one per customer and browser; they grant access
/// to that customer's own conversations only.
struct VisitorTokens: Sendable {
    struct Claims: JWTPayload {
        var sub: SubjectClaim
        var exp: ExpirationClaim
        var ws: String
        var inbox: String
        var typ: String

        func verify(using algorithm: some JWTAlgorithm) throws {
            try exp.verifyNotExpired()
            guard typ == "visitor" else { throw JWTError.claimVerificationFailure(failedClaim: nil, reason: "not a visitor token") }
        }
    }

    let keys: JWTKeyCollection
    static let lifetime: TimeInterval = 60 * 60 * 24 * 90

    init(secret: String) async {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        self.keys = keys
    }

    func issue(for visitor: VisitorPrincipal, now: Date = Date()) async throws -> String {
        let claims = Claims(sub: .init(value: visitor.contactID.uuidString), exp: .init(value: now.addingTimeInterval(Self.lifetime)),
                            ws: visitor.workspaceID.uuidString, inbox: visitor.inboxID.uuidString, typ: "visitor")
        return try await keys.sign(claims)
    }

    func verify(_ token: String) async -> VisitorPrincipal? {
        guard let claims = try? await keys.verify(token, as: Claims.self),
              let contact = UUID(uuidString: claims.sub.value),
              let workspace = UUID(uuidString: claims.ws),
              let inbox = UUID(uuidString: claims.inbox) else { return nil }
        return VisitorPrincipal(contactID: contact, workspaceID: workspace, inboxID: inbox)
    }
}

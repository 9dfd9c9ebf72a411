import HummingbirdBcrypt
import NIOPosix

/// bcrypt takes a noticeable fraction of a second by design; it runs on the thread pool so
/// a login never stalls the event loops that serve everyone else.
struct PasswordHasher: Sendable {
    let cost: UInt8

    func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// A hash to verify against when the email is unknown, so response time does not tell
    /// an attacker which emails have accounts.
    static let decoy = Bcrypt.hash("decoy-password-never-matches", cost: 10)
}

import Foundation
import KefuCore
import KefuShield
import KefuText
import Logging

/// What the desk reads off a customer message, before anything is written.
struct Understanding: Sendable, Equatable {
    var language: String?
    var sentiment: String
    /// Why the message is urgent (theft, a hacked account, a scam, lost funds); empty when it is not.
    var urgentBecause: [UrgencyReason]
    /// A category from the workspace's own model, for a conversation this message opens.
    var category: String?
    /// The message reads as a complaint (投诉, "I want to complain", a grievance said in anger).
    var complaint: ComplaintDetection? = nil
}

/// 3. understand: the conversation's language, the customer's mood, urgency and whether it
/// is a complaint — pure functions of the shielded text — and, for a new conversation, a
/// category from the workspace's own model when it is sure.
struct UnderstandStep: Sendable {
    let categories: CategoryModels
    let logger: Logger

    static func read(_ text: String) -> Understanding {
        let language = LanguageDetector.detect(text)
        let urgency = UrgencyDetector.assess(text)
        return Understanding(language: language == .undetermined ? nil : language.rawValue,
                             sentiment: SentimentAnalyzer.analyze(text).sentiment.rawValue,
                             urgentBecause: urgency.urgency == .urgent ? urgency.reasons : [], category: nil,
                             complaint: ComplaintDetector.detect(text))
    }

    func apply(to shielded: Shielded, opening: Bool) async -> Understanding {
        var understanding = Self.read(SecretPlaceholder.removed(from: shielded.inbound.text))
        guard opening else { return understanding }
        do {
            understanding.category = try await categories.predict(workspaceID: shielded.inbound.workspaceID, text: shielded.inbound.text)?.label
        } catch {
            // A category is an aid: the message goes on without one.
            logger.warning("could not predict a category", metadata: ["error.type": "\(type(of: error))"])
        }
        return understanding
    }
}

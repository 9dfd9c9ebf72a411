import FluentKit
import Foundation
import KefuCore
import SQLKit

/// Who is on the customer's side of a conversation, as the desk's messages need to know:
/// the language to answer in and the contact's tier.
extension ConversationRecord {
    /// The desk's one rule (`CustomerLanguage`): the contact's chosen locale or the language
    /// they write. A conversation already in Chinese needs no read of the contact.
    func answersInChinese(on db: any Database) async throws -> Bool {
        if LocaleTag.isChinese(language) { return true }
        let locale = try await ContactRow.find(contactID, on: db)?.locale
        return CustomerLanguage.answersInChinese(locale: locale, writes: language)
    }

    /// The contact's tier, standard when it is unknown.
    func contactTier(on db: any Database) async throws -> ContactTier {
        try await (db as! any SQLDatabase).raw("SELECT tier FROM contacts WHERE id = \(bind: contactID)").first()
            .flatMap { try? $0.decode(column: "tier", as: String.self) }.flatMap(ContactTier.init(rawValue:)) ?? .standard
    }
}

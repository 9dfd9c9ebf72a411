import FluentKit
import Foundation
import SQLKit

/// Each workspace's glossary of crypto terms, starting from the standard one.
struct CreateGlossary: AsyncMigration {
    var name: String { "0014_glossary" }

    func prepare(on database: any Database) async throws {
        try await database.schema("glossary_terms")
            .id()
            .field("workspace_id", .uuid, .required, .references("workspaces", "id"))
            .field("key", .string, .required)
            /// JSON array of spellings, English and Chinese.
            .field("terms", .string, .required)
            .field("explain_en", .string, .required)
            .field("explain_zh", .string, .required)
            .field("updated_ms", .int64, .required)
            .unique(on: "workspace_id", "key")
            .create()
        // Workspaces made before the glossary existed get the standard one too.
        for workspace in try await WorkspaceRow.query(on: database).all() {
            try await Glossary.seedStandard(workspaceID: workspace.id!, on: database)
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("glossary_terms").delete()
    }
}

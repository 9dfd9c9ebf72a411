import Foundation

/// What the desk says to a customer about their complaint, in their language. The team's
/// own words go in the resolution summary; these frame it.
enum ComplaintTexts {
    /// "2026-12-03 14:00 (UTC+08:00)": a time a customer anywhere can read without guessing the zone.
    static func time(_ date: Date, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        let offset = zone.secondsFromGMT(for: date)
        let sign = offset < 0 ? "-" : "+"
        let zoneText = String(format: "UTC%@%02d:%02d", sign, abs(offset) / 3600, abs(offset) % 3600 / 60)
        return String(format: "%04d-%02d-%02d %02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!) + " (\(zoneText))"
    }

    static func acknowledgement(chinese: Bool, number: Int, due: String) -> String {
        if chinese {
            return "我们已收到您的投诉，编号 #\(number)。我们会认真调查，并在 \(due) 之前给您答复。"
                + "您可以通过下方的“查看处理进度”随时了解进展或补充信息。我们的工作人员绝不会索要您的助记词、私钥或密码。"
        }
        return "We have received your complaint, number #\(number). We are looking into it and you will hear from us by \(due). "
            + "You can follow its progress, or add information, with \"Follow progress\" below. Our team will never ask for your recovery phrase, private key or password."
    }

    static func escalated(chinese: Bool) -> String {
        chinese ? "我们已将您的投诉转交给专门的团队处理，处理时限不变，我们会及时告诉您进展。"
            : "We have passed your complaint to the specialist team that can settle it. Our promised reply time stands, and we will keep you posted."
    }

    static func resolution(chinese: Bool, number: Int, summary: String) -> String {
        if chinese {
            return "您的投诉 #\(number) 处理结果：\n\(summary)\n如果问题仍未解决，您可以在处理进度页面重新提出，或直接回复本消息。"
        }
        return "The outcome of your complaint #\(number):\n\(summary)\nIf anything is still not right, reopen it from the progress page or simply reply here."
    }

    static func followUp(chinese: Bool, number: Int) -> String {
        chinese ? "您好，关于投诉 #\(number)：现在一切都正常了吗？如果还有问题，直接回复我们即可，我们会重新跟进。"
            : "Hello again about complaint #\(number): is everything in order now? If not, just reply and we will pick it up again."
    }

    static func escalationNote(team: String, reason: String) -> String {
        "Complaint escalated to \(team) / 投诉已升级至 \(team): \(reason)"
    }
}

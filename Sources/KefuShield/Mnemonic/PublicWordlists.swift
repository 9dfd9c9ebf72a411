/// The BIP-39 wordlists as shipped, for detectors that run elsewhere (the chat widget
/// checks a draft in the visitor's browser before anything is sent).
public enum PublicWordlists {
    public static func words(_ list: Wordlist) -> [String] { BundledResources().words(of: list) }
}

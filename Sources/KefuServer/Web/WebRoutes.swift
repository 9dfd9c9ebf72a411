import Hummingbird

/// The pages people see: the agent console, the chat widget script, the demo site.
struct WebRoutes {
    let services: KefuServices

    func addRoutes(to router: Router<KefuRequestContext>) {}
}

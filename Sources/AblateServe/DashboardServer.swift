import FlyingFox
import FlyingSocks
import Foundation

/// Serves a ``Dashboard`` over HTTP with FlyingFox: every request goes to its one router, which never
/// throws; a request it cannot parse is FlyingFox's 400.
public struct DashboardServer: Sendable {
    /// The routes.
    public let dashboard: Dashboard
    /// The address to bind (127.0.0.1 by default).
    public let host: String
    /// The port (0 for any free one).
    public let port: UInt16

    /// A server for `dashboard` on `host:port`.
    public init(dashboard: Dashboard, host: String = "127.0.0.1", port: UInt16) {
        self.dashboard = dashboard
        self.host = host
        self.port = port
    }

    /// Whether `host` is a loopback address (binding anything else needs a token).
    public static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// Runs until cancelled; `ready` receives the port once it listens.
    public func run(ready: @escaping @Sendable (UInt16) -> Void) async throws {
        let address = try sockaddr_in.inet(ip4: host == "localhost" ? "127.0.0.1" : host, port: port)
        let server = HTTPServer(address: address, logger: DisabledLogger.disabled)
        let dashboard = self.dashboard
        await server.appendRoute("*") { request in
            var query: [String: String] = [:]
            for item in request.query { query[item.name] = item.value }
            var headers: [String: String] = [:]
            for (name, value) in request.headers { headers[name.rawValue.lowercased()] = value }
            let response = dashboard.respond(
                DashboardRequest(method: request.method.rawValue, path: request.path, query: query, headers: headers))
            return HTTPResponse(
                statusCode: HTTPStatusCode(response.status, phrase: Self.phrase(response.status)),
                headers: [.contentType: response.contentType, HTTPHeader("Cache-Control"): "no-store"],
                body: response.body)
        }
        let task = Task { try await server.run() }
        try await server.waitUntilListening()
        if let listening = await server.listeningAddress, case .ip4(_, let bound) = listening {
            ready(bound)
        } else {
            ready(port)
        }
        try await task.value
    }

    static func phrase(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        default: "Internal Server Error"
        }
    }
}

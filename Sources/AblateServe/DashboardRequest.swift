import Foundation

/// A request as the dashboard sees it, independent of the HTTP server: what the routes read.
public struct DashboardRequest: Sendable, Equatable {
    /// `GET`, `HEAD`...
    public var method: String
    /// The path, percent-decoded, without the query.
    public var path: String
    /// Query items by name (the last one wins).
    public var query: [String: String]
    /// Headers by lower-cased name.
    public var headers: [String: String]

    /// Creates a request.
    public init(method: String = "GET", path: String, query: [String: String] = [:], headers: [String: String] = [:]) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
    }
}

/// A response: status, content type and body.
public struct DashboardResponse: Sendable, Equatable {
    /// The HTTP status code.
    public var status: Int
    /// The `Content-Type`.
    public var contentType: String
    /// The body.
    public var body: Data

    /// JSON from a `JSONSerialization` object (non-finite numbers become `null`).
    static func json(_ object: Any, status: Int = 200) -> DashboardResponse {
        let data =
            (try? JSONSerialization.data(
                withJSONObject: sanitized(object), options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return DashboardResponse(status: status, contentType: "application/json; charset=utf-8", body: data)
    }

    /// An error as JSON: `{"error": message}`.
    static func error(_ status: Int, _ message: String) -> DashboardResponse {
        json(["error": message], status: status)
    }

    /// Text.
    static func text(_ text: String, type: String = "text/plain; charset=utf-8", status: Int = 200) -> DashboardResponse
    {
        DashboardResponse(status: status, contentType: type, body: Data(text.utf8))
    }

    private static func sanitized(_ value: Any) -> Any {
        switch value {
        case let number as Double: return number.isFinite ? number as Any : NSNull()
        case let array as [Any]: return array.map(sanitized)
        case let object as [String: Any]: return object.mapValues(sanitized)
        default: return value
        }
    }
}

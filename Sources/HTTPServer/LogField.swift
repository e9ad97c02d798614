/// Names of the logfmt fields this module writes, kept in one place so they stay stable.
enum LogField {
    static let error = "error"
    static let host = "host"
    static let port = "port"
    static let eventLoop = "event_loop"
    static let eventLoops = "event_loops"
    static let status = "status"
    static let reason = "reason"
    static let connections = "connections"
}

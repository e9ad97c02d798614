/// The outcome of parsing one part of a request: a value, or the error to respond with.
///
/// Used instead of `Result` because `HTTPParseError` is a response to send, not a thrown error.
enum ParseOutcome<Value> {
    case success(Value)
    case failure(HTTPParseError)
}

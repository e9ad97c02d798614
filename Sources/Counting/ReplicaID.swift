/// Identity of one replica process: `<instance name>-<incarnation>`.
///
/// The incarnation is random per process start, so a restarted replica never
/// inherits the sequence numbers of its previous life.
public struct ReplicaID: Hashable, Sendable, CustomStringConvertible {
    public let instance: String
    public let incarnation: String

    public init(instance: String, incarnation: String) {
        self.instance = instance
        self.incarnation = incarnation
    }

    /// Makes an identity with a fresh 64-bit random incarnation in hex.
    public static func make(instance: String) -> ReplicaID {
        var generator = SystemRandomNumberGenerator()
        let value = generator.next() as UInt64
        let hex = String(value, radix: 16)
        let padded = String(repeating: "0", count: 16 - hex.count) + hex
        return ReplicaID(instance: instance, incarnation: padded)
    }

    public var rawValue: String { "\(instance)-\(incarnation)" }
    public var description: String { rawValue }
}

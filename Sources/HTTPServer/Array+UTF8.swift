extension Array where Element == UInt8 {
    /// Appends the UTF-8 bytes of `text`.
    ///
    /// `append(contentsOf: text.utf8)` goes through the generic sequence path,
    /// which cost hundreds of instructions per call on the request path;
    /// copying from the string's contiguous storage is one `memcpy`.
    public mutating func appendUTF8(_ text: String) {
        let copied: Void? = text.utf8.withContiguousStorageIfAvailable { bytes in
            append(contentsOf: bytes)
        }
        if copied == nil {
            append(contentsOf: text.utf8)
        }
    }

    /// Appends `value` in decimal ASCII digits, with a leading `-` when negative.
    ///
    /// Not generic on purpose: an unspecialized `BinaryInteger` version cost
    /// over a thousand instructions per call through witness tables.
    public mutating func appendDecimal(_ value: Int) {
        if value < 0 {
            append(UInt8(ascii: "-"))
        }
        var magnitude = value.magnitude
        // Digits come out least significant first; write them into a stack buffer backwards.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
            var start = buffer.count
            repeat {
                start -= 1
                buffer[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start...]))
        }
    }
}

import Foundation
import Testing
@testable import Observability

@Suite struct LogFormatTimestampTests {
    // Fractions that are exact in binary, so the milliseconds do not depend on rounding.
    @Test(arguments: [
        (5.125, "1970-01-01T00:00:05.125Z"),
        (1_796_412_000.5, "2026-12-04T19:20:00.500Z"),
        (1_796_412_000, "2026-12-04T19:20:00.000Z"),
        (951_825_599.25, "2000-02-29T11:59:59.250Z"),
    ])
    func timestampIsZeroPaddedUTC(seconds: Double, expected: String) {
        #expect(LogFormat.timestamp(Date(timeIntervalSince1970: seconds)) == expected)
    }
}

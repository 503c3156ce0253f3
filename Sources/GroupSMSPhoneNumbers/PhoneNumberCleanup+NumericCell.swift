extension PhoneNumberCleanup {
    /// SPEC §2 step 1 for numeric cells: the stored decimal text ("8613112345678",
    /// "1.3112345678E10", "8.613112345678E+12") converted to its integer digits with decimal
    /// arithmetic, never through `Double`. A fraction or a negative value is rejected.
    static func cleanNumericCell(_ text: String, into buffer: UnsafeMutableBufferPointer<UInt8>) -> CleanedPhoneDigits {
        var copy = text
        return copy.withUTF8 { cleanNumericCell(bytes: $0, into: buffer) }
    }

    /// `cleanNumericCell` on the stored text's UTF-8 bytes (a `String` is made only to reject).
    static func cleanNumericCell(bytes: UnsafeBufferPointer<UInt8>, into buffer: UnsafeMutableBufferPointer<UInt8>) -> CleanedPhoneDigits {
        guard let decimal = DecimalText(bytes) else {
            return .rejected(.unreadableNumericCell(String(decoding: bytes, as: UTF8.self)))
        }
        return decimal.integerDigits(into: buffer, text: String(decoding: bytes, as: UTF8.self))
    }
}

/// A decimal number in the text form spreadsheets store: `[+-]digits[.digits][E[+-]digits]`.
private struct DecimalText {
    let bytes: UnsafeBufferPointer<UInt8>
    let negative: Bool
    let integerPart: Range<Int>
    let fractionPart: Range<Int>
    /// Clamped to ±100,000: beyond that the value is far too long or a fraction anyway.
    let exponent: Int

    init?(_ bytes: UnsafeBufferPointer<UInt8>) {
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] == UInt8(ascii: " ") { start += 1 }
        while end > start, bytes[end - 1] == UInt8(ascii: " ") { end -= 1 }
        var index = start
        func isDigit(_ i: Int) -> Bool { i < end && bytes[i] >= UInt8(ascii: "0") && bytes[i] <= UInt8(ascii: "9") }
        var negative = false
        if index < end, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        let integerStart = index
        while isDigit(index) { index += 1 }
        let integerPart = integerStart..<index
        var fractionPart = index..<index
        if index < end, bytes[index] == UInt8(ascii: ".") {
            index += 1
            let fractionStart = index
            while isDigit(index) { index += 1 }
            fractionPart = fractionStart..<index
        }
        guard !integerPart.isEmpty || !fractionPart.isEmpty else { return nil }
        var exponent = 0
        if index < end, bytes[index] == UInt8(ascii: "E") || bytes[index] == UInt8(ascii: "e") {
            index += 1
            var exponentNegative = false
            if index < end, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            guard isDigit(index) else { return nil }
            while isDigit(index) {
                exponent = min(exponent * 10 + Int(bytes[index] - UInt8(ascii: "0")), 100_000)
                index += 1
            }
            if exponentNegative { exponent = -exponent }
        }
        guard index == end else { return nil }
        self.bytes = bytes
        self.negative = negative
        self.integerPart = integerPart
        self.fractionPart = fractionPart
        self.exponent = exponent
    }

    /// Mantissa digit `index`: the integer digits followed by the fraction digits.
    private func mantissaDigit(_ index: Int) -> UInt8 {
        let byte = index < integerPart.count ? bytes[integerPart.lowerBound + index]
            : bytes[fractionPart.lowerBound + index - integerPart.count]
        return byte - UInt8(ascii: "0")
    }

    func integerDigits(into buffer: UnsafeMutableBufferPointer<UInt8>, text: @autoclosure () -> String) -> CleanedPhoneDigits {
        let mantissaCount = integerPart.count + fractionPart.count
        var firstSignificant = 0
        while firstSignificant < mantissaCount && mantissaDigit(firstSignificant) == 0 { firstSignificant += 1 }
        var writer = PhoneDigitWriter(buffer: buffer)
        guard firstSignificant < mantissaCount else {
            writer.append(digit: 0)  // zero, whatever its sign or exponent
            return writer.finish()
        }
        let significantCount = mantissaCount - firstSignificant
        // The value is significand × 10^scale.
        let scale = exponent - fractionPart.count
        var integerCount = significantCount
        if scale < 0 {
            let dropped = -scale
            guard dropped < significantCount else { return .rejected(.fractionalNumber(text())) }
            for index in (mantissaCount - dropped)..<mantissaCount where mantissaDigit(index) != 0 {
                return .rejected(.fractionalNumber(text()))
            }
            integerCount = significantCount - dropped
        }
        if negative { return .rejected(.negativeNumber(text())) }
        let totalCount = integerCount + max(scale, 0)
        guard totalCount <= PhoneNumberNormalizer.maximumInputLength else { return .rejected(.tooLong) }
        for index in firstSignificant..<(firstSignificant + integerCount) { writer.append(digit: mantissaDigit(index)) }
        for _ in 0..<max(scale, 0) { writer.append(digit: 0) }
        return writer.finish()
    }
}

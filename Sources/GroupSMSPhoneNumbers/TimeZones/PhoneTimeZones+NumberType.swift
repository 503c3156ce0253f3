extension PhoneTimeZones {
    /// Whether libphonenumber looks a number of `type` up by prefix: fixed-line and
    /// fixed-line-or-mobile numbers always, mobile numbers only where the calling code's mobile
    /// numbers are geographical (China, Mexico, Argentina, Brazil, Indonesia in 9.0.43).
    public func isGeographical(_ type: PhoneNumberType, countryCode: Int) -> Bool {
        switch type {
        case .fixedLine, .fixedLineOrMobile: true
        case .mobile: geographicalMobileCallingCodes.contains(countryCode)
        case .tollFree, .premiumRate, .sharedCost, .voip, .personalNumber, .pager, .uan, .voicemail: false
        }
    }

    /// The zones of a valid number, as libphonenumber gives them (see the type's summary).
    public func zoneIDs(for number: NormalizedPhoneNumber) -> [String] {
        zoneIDs(forE164Value: number.e164Value, countryCode: number.countryCode,
                geographical: isGeographical(number.type, countryCode: number.countryCode))
    }
}

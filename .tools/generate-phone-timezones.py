#!/usr/bin/env python3
"""Generates the phone-number-to-time-zone table and its test vectors.

Reads the prefix-to-time-zone data of Google's libphonenumber as shipped in the Python
`phonenumbers` package (`phonenumbers.tzdata.TIMEZONE_DATA`, the map behind
`phonenumbers.timezone.time_zones_for_number`) and writes:

  Sources/GroupSMSPhoneNumbers/Generated/PhoneTimeZoneData.swift
      the table, as one raw multi-line Swift string literal parsed once on first use
      (see PhoneTimeZones+Parsing.swift);
  Tests/GroupSMSPhoneNumbersTests/Fixtures/PhoneNumbers/timezone-vectors.tsv
      numbers across every region and number type with the zones libphonenumber gives.

Usage (from the package root):
    pip install phonenumbers==9.0.43
    python3 .tools/generate-phone-timezones.py

Table format, one record per line, fields separated by one space:
    V <libphonenumber release>
    G <calling code>...              codes whose mobile numbers are geographical (libphonenumber's
                                     GEO_MOBILE_COUNTRIES): only for these are mobile numbers
                                     looked up by prefix; other non-fixed-line numbers get their
                                     country's zones
    Z <zone id>                      the zone table; zones are numbered from 0 in order
    S <zone>&<zone>... <prefix>...   the prefixes (E.164 digits after `+`) whose zone list is
                                     these zone numbers, in libphonenumber's order. A prefix
                                     token `STEM:DIGITS` stands for STEM followed by each one
                                     of DIGITS (`120:17` = 1201 1207). A zone list may take
                                     several S lines (lines are wrapped for readable diffs).

Vector format, one number per line, tab-separated:
    <E.164> <calling code> <type> <zones> <source>
Type is the number's libphonenumber type as the Swift `PhoneNumberType` raw value. Zones are
`&`-joined, `-` for none. They are `time_zones_for_number`'s answer, except that where it says
`Etc/Unknown` the vector holds the country-level zones (SPEC §8: a number whose zone is unknown
uses its country's zones), or `-` when the country has none; source is then `U`, else `L`.
"""

import collections
import os
import random
import sys

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType, timezone
from phonenumbers.phonenumberutil import COUNTRY_CODES_FOR_NON_GEO_REGIONS, SUPPORTED_REGIONS
from phonenumbers.phonenumberutil import _GEO_MOBILE_COUNTRIES as GEO_MOBILE_COUNTRIES
from phonenumbers.tzdata import TIMEZONE_DATA, TIMEZONE_LONGEST_PREFIX

PINNED_VERSION = "9.0.43"
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUTPUT = os.path.join(ROOT, "Sources", "GroupSMSPhoneNumbers", "Generated", "PhoneTimeZoneData.swift")
VECTORS = os.path.join(ROOT, "Tests", "GroupSMSPhoneNumbersTests", "Fixtures", "PhoneNumbers",
                       "timezone-vectors.tsv")
LINE_LIMIT = 100
VECTOR_SEED = 20260308
TYPE_NAMES = {
    PhoneNumberType.FIXED_LINE: "fixedLine", PhoneNumberType.MOBILE: "mobile",
    PhoneNumberType.FIXED_LINE_OR_MOBILE: "fixedLineOrMobile", PhoneNumberType.TOLL_FREE: "tollFree",
    PhoneNumberType.PREMIUM_RATE: "premiumRate", PhoneNumberType.SHARED_COST: "sharedCost",
    PhoneNumberType.VOIP: "voip", PhoneNumberType.PERSONAL_NUMBER: "personalNumber",
    PhoneNumberType.PAGER: "pager", PhoneNumberType.UAN: "uan", PhoneNumberType.VOICEMAIL: "voicemail",
}


def check_data():
    if phonenumbers.__version__ != PINNED_VERSION:
        sys.exit(f"phonenumbers {phonenumbers.__version__} installed; this generator is pinned to "
                 f"{PINNED_VERSION} (pip install phonenumbers=={PINNED_VERSION})")
    for prefix, zones in TIMEZONE_DATA.items():
        if not prefix.isdigit() or prefix.startswith("0") or len(prefix) > TIMEZONE_LONGEST_PREFIX:
            sys.exit(f"unexpected prefix {prefix!r}")
        if not zones or any(not z or any(ch in z for ch in " &:\n\"#") for z in zones):
            sys.exit(f"prefix {prefix}: zone list {zones!r} uses a character the table format reserves")
        if timezone.UNKNOWN_TIMEZONE in zones:
            sys.exit(f"prefix {prefix}: the data itself holds {timezone.UNKNOWN_TIMEZONE}")


def prefix_tokens(prefixes):
    """The prefixes of one zone list as tokens, sharing stems that differ in the last digit."""
    by_stem = collections.OrderedDict()
    for prefix in sorted(prefixes):
        by_stem.setdefault(prefix[:-1], []).append(prefix[-1])
    return [stem + digits[0] if len(digits) == 1 else f"{stem}:{''.join(digits)}"
            for stem, digits in by_stem.items()]


def table_lines():
    zones = sorted({zone for zone_list in TIMEZONE_DATA.values() for zone in zone_list})
    number = {zone: index for index, zone in enumerate(zones)}
    groups = collections.defaultdict(list)
    for prefix, zone_list in TIMEZONE_DATA.items():
        groups[tuple(zone_list)].append(prefix)
    lines = [f"V {PINNED_VERSION}", "G " + " ".join(str(code) for code in sorted(GEO_MOBILE_COUNTRIES))]
    lines += [f"Z {zone}" for zone in zones]
    for zone_list in sorted(groups, key=lambda zl: min(groups[zl])):
        head = "S " + "&".join(str(number[zone]) for zone in zone_list)
        line = head
        for token in prefix_tokens(groups[zone_list]):
            if len(line) + 1 + len(token) > LINE_LIMIT and line != head:
                lines.append(line)
                line = head
            line += " " + token
        lines.append(line)
    return lines, len(zones), len(groups)


def write_table():
    lines, zone_count, list_count = table_lines()
    table = "\n".join(lines)
    swift = f'''// Generated by .tools/generate-phone-timezones.py from libphonenumber {PINNED_VERSION}
// (Python package phonenumbers=={PINNED_VERSION}, its prefix-to-time-zone data). Do not edit;
// regenerate instead. The table format is described in the generator and in
// PhoneTimeZones+Parsing.swift.

/// libphonenumber's prefix-to-time-zone table that `PhoneTimeZones` is built from.
enum PhoneTimeZoneData {{
    /// The libphonenumber release the table was generated from.
    static let libphonenumberVersion = "{PINNED_VERSION}"

    /// The table itself; parsed once, on first use, by `PhoneTimeZones`.
    static let table = #"""
{table}
"""#
}}
'''
    with open(OUTPUT, "w", encoding="utf-8") as out:
        out.write(swift)
    print(f"wrote {os.path.normpath(OUTPUT)}: {len(TIMEZONE_DATA)} prefixes, {zone_count} zones, "
          f"{list_count} zone lists, {len(table)} bytes of table, {len(swift.encode())} bytes of file")


def country_zones(country_code):
    return TIMEZONE_DATA.get(str(country_code), ())


def vector_line(number):
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    kind = phonenumbers.number_type(number)
    zones = tuple(timezone.time_zones_for_number(number))
    source = "L"
    if zones == (timezone.UNKNOWN_TIMEZONE,):
        zones, source = country_zones(number.country_code), "U"
    return "\t".join([e164, str(number.country_code), TYPE_NAMES[kind], "&".join(zones) or "-", source])


def valid(e164):
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def example_numbers():
    """Every region's and non-geographical entity's example number of every type."""
    examples = []
    for region in sorted(SUPPORTED_REGIONS):
        examples += [phonenumbers.example_number_for_type(region, kind) for kind in TYPE_NAMES]
    for code in sorted(COUNTRY_CODES_FOR_NON_GEO_REGIONS):
        examples.append(phonenumbers.example_number_for_non_geo_entity(code))
    return [number for number in examples if number is not None]


def varied_numbers(examples, rng):
    """Examples with their last digits changed, and one valid number per prefix of the
    time-zone data (an example with its leading digits set to the prefix), so that most
    prefixes of the table are exercised."""
    by_code = collections.defaultdict(list)
    for number in examples:
        by_code[str(number.country_code)].append(phonenumbers.format_number(number, PhoneNumberFormat.E164))
    candidates = []
    for e164s in by_code.values():
        for e164 in e164s:
            tail = rng.randint(1, 4)
            candidates.append(e164[:-tail] + "".join(rng.choice("0123456789") for _ in range(tail)))
    numbers = [number for number in map(valid, candidates) if number is not None]
    for prefix in sorted(TIMEZONE_DATA):
        code = next((c for c in (prefix[:1], prefix[:2], prefix[:3]) if c in by_code), None)
        overlaid = ("+" + prefix + e164[1 + len(prefix):] for e164 in by_code.get(code, [])
                    if len(prefix) + 1 < len(e164))
        first_valid = next((number for number in map(valid, overlaid) if number is not None), None)
        if first_valid is not None:
            numbers.append(first_valid)
    return numbers


def write_vectors():
    rng = random.Random(VECTOR_SEED)
    examples = example_numbers()
    lines = {}
    for number in examples + varied_numbers(examples, rng):
        line = vector_line(number)
        lines.setdefault(line.split("\t", 1)[0], line)
    header = (f"# Time-zone vectors from libphonenumber {PINNED_VERSION} (phonenumbers=={PINNED_VERSION}),\n"
              "# written by .tools/generate-phone-timezones.py; the format is described there.\n"
              "# e164\tcalling code\ttype\tzones\tsource\n")
    with open(VECTORS, "w", encoding="utf-8") as out:
        out.write(header + "".join(line + "\n" for line in lines.values()))
    regions = {phonenumbers.region_code_for_number(valid(e164)) for e164 in lines}
    print(f"wrote {os.path.normpath(VECTORS)}: {len(lines)} numbers, {len(regions)} regions")


def main():
    check_data()
    os.makedirs(os.path.dirname(OUTPUT), exist_ok=True)
    os.makedirs(os.path.dirname(VECTORS), exist_ok=True)
    write_table()
    write_vectors()


if __name__ == "__main__":
    main()

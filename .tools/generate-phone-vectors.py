#!/usr/bin/env python3
"""Generates Tests/GroupSMSCoreTests/Fixtures/PhoneNumbers/phone-vectors.tsv.

Test vectors for the phone-number normaliser, with the expected results computed by the
reference library: Python phonenumbers 9.0.43 (= libphonenumber 9.0.43, the release the
metadata is generated from). Inputs are written the ways people type numbers into
spreadsheets; the expected result is what `phonenumbers.parse(cleaned, region)` and
`is_valid_number` give after the clean-up documented in SPEC §2 (mirrored below).

Usage (from the stage package root):
    pip install phonenumbers==9.0.43
    python3 .tools/generate-phone-vectors.py

Output: one vector per line, tab-separated:
    <default region> <cell kind: t text | n numeric> <input> <expected> <type>
The input escapes backslash, tab, newline, every non-ASCII and every control character as
\\uXXXX (\\UXXXXXXXX beyond the BMP). Expected is the E.164 number, or `!` and a rejection:
    !EMPTY !CHAR !PLUS !NODIGITS                     clean-up (text cells)
    !FRACTION !NEGATIVE !UNREADABLE                  numeric cells
    !NOT_A_NUMBER !INVALID_COUNTRY_CODE !TOO_SHORT_AFTER_IDD !TOO_SHORT_NSN !TOO_LONG
                                                     phonenumbers.parse exceptions
    !INVALID:+<e164>                                 parsed, but is_valid_number is False
Type is phonenumbers' number type name for valid numbers, `-` otherwise.
"""

import os
import random
import re
import sys
import unicodedata
from decimal import Decimal

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

PINNED_VERSION = "9.0.43"
OUTPUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "GroupSMSCoreTests",
                      "Fixtures", "PhoneNumbers", "phone-vectors.tsv")

# ---- the clean-up of SPEC §2 step 2, mirrored from PhoneNumberCleanup.swift --------------
WHITE_SPACE = {chr(c) for c in [*range(0x09, 0x0E), 0x20, 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B),
                                0x2028, 0x2029, 0x202F, 0x205F, 0x3000]}
ZERO_WIDTH = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}
SEPARATORS = set("-.()/'")


def clean_text(text):
    """Returns the cleaned `+digits` / `digits`, or a `!` rejection code."""
    digits, plus, symbol = [], False, False
    for ch in unicodedata.normalize("NFKC", text):
        if ch.isascii():
            if "0" <= ch <= "9":
                digits.append(ch)
            elif ch == "+":
                if digits or plus:
                    return "!PLUS"
                plus = symbol = True
            elif ch in " \t\n\x0b\x0c\r":
                pass
            elif ch in SEPARATORS:
                symbol = True
            else:
                return "!CHAR"
        elif ch in WHITE_SPACE or ch in ZERO_WIDTH:
            pass
        elif unicodedata.decimal(ch, None) is not None:
            digits.append(str(unicodedata.decimal(ch)))
        else:
            return "!CHAR"
    if not digits:
        return "!NODIGITS" if plus or symbol else "!EMPTY"
    number = "".join(digits)
    if not plus and number.startswith("00"):
        return "!NODIGITS" if len(number) == 2 else "+" + number[2:]
    return ("+" if plus else "") + number


NUMERIC = re.compile(r"^ *[+-]?([0-9]*)(?:\.([0-9]*))?(?:[eE][+-]?[0-9]+)? *$")


def clean_numeric(text):
    """A numeric cell's stored decimal text to its exact integer digits, or a `!` code."""
    match = NUMERIC.match(text)
    if not match or not (match.group(1) or match.group(2)):
        return "!UNREADABLE"
    value = Decimal(text.strip(" "))
    if value != value.to_integral_value():
        return "!FRACTION"
    if value < 0:
        return "!NEGATIVE"
    digits = str(int(value))
    return "!TOO_LONG" if len(digits) > 250 else digits


PARSE_ERRORS = {
    NumberParseException.INVALID_COUNTRY_CODE: "!INVALID_COUNTRY_CODE",
    NumberParseException.NOT_A_NUMBER: "!NOT_A_NUMBER",
    NumberParseException.TOO_SHORT_AFTER_IDD: "!TOO_SHORT_AFTER_IDD",
    NumberParseException.TOO_SHORT_NSN: "!TOO_SHORT_NSN",
    NumberParseException.TOO_LONG: "!TOO_LONG",
}
TYPE_NAMES = {getattr(PhoneNumberType, name): name for name in dir(PhoneNumberType) if name.isupper()}


def expected(kind, text, region):
    cleaned = clean_text(text) if kind == "t" else clean_numeric(text)
    if cleaned.startswith("!"):
        return cleaned, "-"
    try:
        number = phonenumbers.parse(cleaned, region)
    except NumberParseException as error:
        return PARSE_ERRORS[error.error_type], "-"
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    if not phonenumbers.is_valid_number(number):
        return "!INVALID:" + e164, "-"
    return e164, TYPE_NAMES[phonenumbers.number_type(number)]


# ---- how people type numbers ------------------------------------------------------------
REGIONS = ["CN", "HK", "MO", "TW", "US", "CA", "GB", "DE", "FR", "IT", "ES", "NL", "BE", "CH", "AT", "SE",
           "NO", "DK", "FI", "PL", "RU", "KZ", "UA", "TR", "IN", "PK", "BD", "ID", "MY", "SG", "TH", "VN",
           "PH", "JP", "KR", "AU", "NZ", "BR", "AR", "MX", "CO", "CL", "PE", "ZA", "NG", "KE", "EG", "MA",
           "SA", "AE", "IL", "IR", "IE", "PT", "GR", "CZ", "HU", "RO", "AG", "JM", "PR", "GG", "IM", "JE",
           "VA", "SM", "GA", "CC", "NF", "AX", "RE", "YT", "BQ", "CW", "EH", "SJ", "TA"]
TYPES = [PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE, PhoneNumberType.TOLL_FREE,
         PhoneNumberType.PREMIUM_RATE, PhoneNumberType.SHARED_COST, PhoneNumberType.VOIP,
         PhoneNumberType.PERSONAL_NUMBER, PhoneNumberType.PAGER, PhoneNumberType.UAN,
         PhoneNumberType.VOICEMAIL]
FULL_WIDTH = {c: chr(ord(c) + 0xFEE0) for c in "0123456789+-()."}


def full_width(text, rng):
    return "".join(FULL_WIDTH.get(c, c) if rng.random() < 0.8 else c for c in text).replace(" ", "\u3000")


def spaced(text, rng, separator):
    return text.replace(" ", separator)


def messy_variants(number, region, rng):
    """(default region, text) pairs for one number, each typed differently."""
    intl = phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
    national = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    other = rng.choice(["CN", "CN", "CN", "US", "GB", "DE", region])
    nsn = phonenumbers.national_significant_number(number)
    code = str(number.country_code)
    variants = [
        (other, intl),
        (other, e164),
        (region, national),
        (other, spaced(intl, rng, "-")),
        (other, spaced(intl, rng, ".")),
        (other, spaced(intl, rng, "\u00a0")),
        (other, "00" + e164[1:]),
        (other, "00 " + intl[1:]),
        (region, e164[1:]),                                   # missing +
        (rng.choice(["CN", region]), code + " " + nsn),        # missing + with a space
        (other, full_width(intl, rng)),
        (region, full_width(national, rng)),
        (other, "'" + e164),                                  # leading apostrophe
        (region, "'" + national),
        (other, "\u200b" + intl + "\ufeff"),
        (other, intl.replace(" ", "\u200b", 2)),
        (other, "+" + code + " (" + nsn[:3] + ") " + nsn[3:]),
        (other, "+" + code + " (0) " + nsn),                   # trunk 0 kept after the code
        (region, "0" + nsn),                                  # trunk 0 typed by hand
        (region, "(" + national[:4] + ") " + national[4:]),
        (other, " " + e164 + " "),
        (other, "+" + code + "/" + nsn),
        (other, "\u3000" + intl.replace(" ", "\u3000")),
        (other, "+" + code + "\u2060" + nsn),
        (region, national.replace(" ", "")),
    ]
    rng.shuffle(variants)
    return variants[: rng.randint(5, 8)]


def numeric_variants(number, region, rng):
    """Numeric cells as an XLSX file stores them: integer text or Excel's exponent form."""
    e164_digits = phonenumbers.format_number(number, PhoneNumberFormat.E164)[1:]
    nsn = phonenumbers.national_significant_number(number).lstrip("0") or "0"
    out = []
    for digits, default in ((e164_digits, rng.choice(["CN", region])), (nsn, region), (nsn, "CN")):
        out.append((default, digits))
        mantissa = (digits[0] + "." + digits[1:]).rstrip("0").rstrip(".")
        exponent = len(digits) - 1
        out.append((default, f"{mantissa}E+{exponent}" if rng.random() < 0.5 else f"{mantissa}E{exponent}"))
    rng.shuffle(out)
    return out[: rng.randint(1, 3)]


def varied(number, rng):
    """The same number with its last few digits changed (still often valid)."""
    nsn = phonenumbers.national_significant_number(number)
    keep = max(len(nsn) - rng.randint(1, 4), 1)
    tail = "".join(rng.choice("0123456789") for _ in range(len(nsn) - keep))
    try:
        return phonenumbers.parse("+" + str(number.country_code) + nsn[:keep] + tail, None)
    except NumberParseException:
        return number


# Region-specific inputs that exercise trunk prefixes, carrier codes, transform rules,
# international prefixes and local-only lengths.
REGION_TEXTS = {
    "AG": ["4601234", "268 460 1234", "1 268 460 1234", "(268) 460-1234", "1 460 1234"],
    "AR": ["0343 15 555 1212", "011 15 2345 6789", "15 2345 6789", "+54 9 11 2345 6789", "+54 11 2345 6789",
           "011 2345 6789", "0 11 15 2345-6789", "9 11 2345 6789", "00 54 9 11 2345 6789"],
    "BR": ["0 21 2345 6789", "021 98765 4321", "0 15 21 98765 4321", "015 21 98765 4321", "90 21 98765 4321",
           "(21) 98765-4321", "+55 21 98765 4321", "0 41 11 98765 4321", "0055 11 98765 4321"],
    "MX": ["044 55 1234 5678", "045 55 1234 5678", "01 55 1234 5678", "55 1234 5678", "+52 1 55 1234 5678"],
    "GA": ["06 03 12 34", "07 41 23 45", "011 23 45 67", "+241 06 03 12 34", "0 11 23 45 67"],
    "JP": ["0003768 0 12345678", "000 2 1234567", "090 1234 5678", "+81 90 1234 5678", "010 81 90 1234 5678"],
    "GG": ["180020 1234 567", "456789", "01481 456789", "+44 1481 456789"],
    "NF": ["12345", "3 12345", "+672 3 12345", "0 12345"],
    "SM": ["891234", "0549 891234", "+378 0549 891234"],
    "MG": ["20 21 23456", "0 20 21 23456", "2123456"],
    "CC": ["+61 8 9162 1234", "91621234", "0 8 9162 1234"],
    "US": ["011 44 20 7946 0958", "1 202 555 0100", "555 0100", "202 555 0100", "1 (202) 555-0100"],
    "RU": ["8 912 345 67 89", "8 10 44 20 7946 0958", "810 86 131 1234 5678", "7 912 345 67 89"],
    "KZ": ["8 701 123 4567", "+7 701 123 4567", "7 701 123 4567"],
    "IT": ["06 1234 5678", "+39 06 1234 5678", "3123456789", "39 3123456789"],
    "DE": ["0049 30 123456", "030 123456", "+49 (0) 30 123456", "0151 23456789", "49 151 23456789"],
    "GB": ["07400 123456", "+44 7400 123456", "0044 7400 123456", "00 44 (0) 7400 123456", "44 7400 123456"],
    "AU": ["0011 61 4 1234 5678", "0412 345 678", "61 412 345 678", "0011 86 131 1234 5678"],
    "KR": ["001 82 10 1234 5678", "010 1234 5678", "00700 82 10 1234 5678", "82 10 1234 5678"],
    "CN": ["+86 0 131 1234 5678", "86 0131 1234 5678", "8686 13112345678", "1790013112345678", "12593 13112345678",
           "86-10-12345678", "8610 12345678", "0 10 1234 5678", "10 1234 5678", "0086 010 1234 5678",
           "00 852 5123 4567", "+852 5123 4567", "+853 6612 3456", "+886 912 345 678", "13100 13112345678"],
}

INVALID_TEXTS = [
    "", "   ", "\u00a0", "-", "()", "+", "00", "0", "1", "12", "+1", "+12", "abc", "n/a", "tel:+8613112345678",
    "+86 131 1234 5678 ext 12", "+86 131 1234 5678 x12", "131-1234-5678#", "+86+13112345678", "86+13112345678",
    "13112345678+", "1311234567８", "131 1234 5678;", "+999 1234 5678", "+0 131 1234 5678", "+00 86 131 1234 5678",
    "0000", "000", "+800 1234 5678", "+808 12345678", "+870 773 111 632", "+882 34 1234 5678", "+979 123456789",
    "13112345678901234567890", "+86 " + "1" * 30, "1" * 251, "+" + "8" * 250, "001", "0012", "00123",
    "131\u20131234\u20135678", "131_1234_5678", "131,1234,5678", "131·1234·5678", "（86）13112345678",
    "+٨٦ ١٣١ ١٢٣٤ ٥٦٧٨", "+86 १३१ १२३४ ५६७८", "㈠㈡", "①②③④⑤⑥⑦⑧⑨⑩⑪", "Phone", "电话号码", "手机 13112345678",
    "+86-131-1234-567", "1311234567", "131123456789", "8613112345678", "86 13112345678", "0086 13112345678",
    "+86 (0)131 1234 5678", "013112345678", "0013112345678", "+86 10 1234 5678", "010 1234 5678",
    "+86 400 123 4567", "+86 800 123 4567", "+86 168 1234 5678", "95588", "10086", "+86 95588",
    "12345", "+1 (202) 555-0100", "202-555-0100", "(202) 555 0100", "1-800-FLOWERS", "+44 20 7946 0958",
    "+44 (0)20 7946 0958", "020 7946 0958", "+49 (0)30 1234567", "+7 (495) 123-45-67", "8 (495) 123-45-67",
    "+33 (0)1 23 45 67 89", "+39 06 1234 5678", "+39 06 1234567", "+61 (0)4 1234 5678", "+55 (11) 91234-5678",
    "+54 9 11 2345-6789", "+54 11 15 2345-6789", "+52 1 55 1234 5678", "+91 98765 43210", "+91 098765 43210",
]
INVALID_NUMERIC = ["13112345678.5", "1.31123456785E10", "-13112345678", "0", "-0", "0.0", "12", "1E+300",
                   "1.5", "8613112345678.000", "8.613112345678E+12", "1.3112345678E10", "1.3112345678e+10",
                   "13112345678", "447911123456", "7911123456", "2025550100", "12025550100", "NaN", "",
                   "4.47911123456E+11", "9.1987654321E+11", "1.e5", ".5", "+13112345678", "013112345678"]


def main():
    if phonenumbers.__version__ != PINNED_VERSION:
        sys.exit(f"phonenumbers {phonenumbers.__version__} installed; pinned to {PINNED_VERSION}")
    rng = random.Random(20260301)
    vectors = []
    for region in REGIONS:
        for number_type in TYPES:
            example = phonenumbers.example_number_for_type(region, number_type)
            if example is None:
                continue
            rounds = 3 if number_type in (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE) else 1
            if region == "CN":
                rounds *= 8
            for _ in range(rounds):
                number = varied(example, rng)
                vectors += [("t", default, text) for default, text in messy_variants(number, region, rng)]
                if rng.random() < 0.5:
                    vectors += [("n", default, text) for default, text in numeric_variants(number, region, rng)]
    for region, texts in REGION_TEXTS.items():
        vectors += [("t", region, text) for text in texts]
    for region in ["CN", "CN", "CN", "US", "GB", "DE", "IN", "BR", "AR", "RU", "JP", "AU"]:
        vectors += [("t", region, text) for text in INVALID_TEXTS]
        vectors += [("n", region, text) for text in INVALID_NUMERIC]
    for _ in range(400):  # random digit strings: mostly invalid, some valid by chance
        region = rng.choice(REGIONS)
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(3, 16)))
        vectors.append(("t", region, rng.choice(["", "+", "00", "0"]) + digits))

    seen = set()
    lines = []
    for kind, region, text in vectors:
        if (kind, region, text) in seen:
            continue
        seen.add((kind, region, text))
        result, type_name = expected(kind, text, region)
        lines.append("\t".join([region, kind, escape(text), result, type_name]))
    header = (f"# Phone-number test vectors from Python phonenumbers {PINNED_VERSION} "
              f"(libphonenumber {PINNED_VERSION}); generated by .tools/generate-phone-vectors.py.\n"
              "# region\tkind\tinput\texpected\ttype\n")
    with open(OUTPUT, "w", encoding="utf-8") as out:
        out.write(header + "\n".join(lines) + "\n")
    regions = {line.split("\t")[0] for line in lines}
    valid = sum(1 for line in lines if not line.split("\t")[3].startswith("!"))
    print(f"wrote {os.path.normpath(OUTPUT)}: {len(lines)} vectors, {len(regions)} default regions, "
          f"{valid} valid, {len(lines) - valid} rejected")


def escape(text):
    out = []
    for ch in text:
        code = ord(ch)
        if ch == "\\" or code < 0x20 or code >= 0x7F:
            out.append(f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}")
        else:
            out.append(ch)
    return "".join(out)


if __name__ == "__main__":
    main()

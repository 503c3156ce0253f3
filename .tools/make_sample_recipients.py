#!/usr/bin/env python3
"""Writes Samples/recipients.xlsx: a recipient list as a business would type it in Excel
(tooling only; the product and its tests never run this). Needs XlsxWriter; checks each intended
number against the phonenumbers package (Python port of libphonenumber) when it is installed.

Usage: python3 .tools/make_sample_recipients.py  (from the package folder)
"""
import os
import xlsxwriter

OUT = os.path.join(os.path.dirname(__file__), '..', 'Samples', 'recipients.xlsx')

# (cell value, what it is). Numbers are fictional or from documentation ranges.
ROWS = [
    ('13112345678', 'CN mobile typed plain'),
    ('13987654321', 'CN mobile typed plain'),
    ('18612345678', 'CN mobile typed plain'),
    ('15012345678', 'CN mobile typed plain'),
    ('17712345678', 'CN mobile typed plain'),
    ('19912345678', 'CN mobile typed plain'),
    ('+86 138 0013 8000', 'CN mobile with +86 and spaces'),
    ('+8613500001111', 'CN mobile in E.164'),
    ('0086 135 0000 2222', 'CN mobile with 0086'),
    ('0086-18900001111', 'CN mobile with 0086 and a dash'),
    ('139 1234 5678', 'CN mobile with spaces'),
    ('186-1234-5679', 'CN mobile with dashes'),
    ('(0)131 1234 5670', 'CN mobile with a trunk 0 in brackets'),
    ('013912345670', 'CN mobile with trunk prefix 0'),
    (8613112345679, 'numeric cell with country code'),
    (13212345678, 'numeric cell, national number'),
    ('１５８１２３４５６７８', 'full-width digits'),
    ('\u3000166 1234 5678\u3000', 'ideographic spaces around'),
    ('147\u00a01234\u00a05678', 'no-break spaces'),
    ('+86 177-1234-5670', 'mixed separators'),
    ('+44 7911 123456', 'UK mobile'),
    ('+44 7400 123456', 'UK mobile'),
    ('+1 415 555 0123', 'US number'),
    ('+1 (212) 555-0198', 'US number with brackets'),
    ('+61 412 345 678', 'Australian mobile'),
    ('+49 1512 3456789', 'German mobile'),
    ('+33 6 12 34 56 78', 'French mobile'),
    ('+81 90-1234-5678', 'Japanese mobile'),
    ('+852 5123 4567', 'Hong Kong mobile'),
    ('+65 8123 4567', 'Singapore mobile'),
    ('+91 98765 43210', 'Indian mobile'),
    ('00447400654321', 'UK mobile with 00'),
    ('+44 20 7946 0958', 'UK fixed line: valid, cannot take SMS (warning)'),
    ('+86 131 1234 5678', 'duplicate of A2'),
    ('1311234', 'too short'),
    ('138abcd5678', 'letters'),
    ('+86 131 1234 5678 ext 12', 'extension'),
    ('n/a', 'not a number'),
    ('+86 +131 1234 5678', 'second plus'),
    ('15912345678', 'CN mobile typed plain'),
    ('18812345678', 'CN mobile typed plain'),
]


def main():
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    wb = xlsxwriter.Workbook(OUT)
    wb.set_properties({'title': 'SMS recipients', 'author': 'Marketing', 'company': 'Example Trading Co.'})
    ws = wb.add_worksheet('Recipients')
    header = wb.add_format({'bold': True, 'bg_color': '#DDEBF7', 'border': 1})
    text = wb.add_format({'num_format': '@'})
    ws.set_column('A:A', 26, text)
    ws.freeze_panes(1, 0)
    ws.write_string('A1', 'Phone number', header)
    for row, (value, _) in enumerate(ROWS, start=1):
        if isinstance(value, int):
            ws.write_number(row, 0, value, wb.add_format({'num_format': '0'}))
        else:
            ws.write_string(row, 0, value, text)
    ws.ignore_errors({'number_stored_as_text': 'A1:A%d' % (len(ROWS) + 1)})
    wb.close()

    try:
        import phonenumbers
    except ImportError:
        return
    seen = set()
    for value, what in ROWS:
        print(f'{str(value)!r:32} {verdict(phonenumbers, str(value), seen):10} {what}')


def verdict(phonenumbers, text, seen):
    """SPEC section 2 clean-up, then libphonenumber with default region CN."""
    import re, unicodedata
    text = unicodedata.normalize('NFKC', text)
    text = re.sub(r"[\s\u200b-\u200d\u2060\ufeff\-.()/']", '', text)
    if text.startswith('00'):
        text = '+' + text[2:]
    if not re.fullmatch(r'\+?\d+', text):
        return 'invalid'
    try:
        number = phonenumbers.parse(text, 'CN')
    except phonenumbers.NumberParseException:
        return 'invalid'
    if not phonenumbers.is_valid_number(number):
        return 'invalid'
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if e164 in seen:
        return 'duplicate'
    seen.add(e164)
    return 'valid' if phonenumbers.number_type(number) in (1, 2) else 'warning'



if __name__ == '__main__':
    main()

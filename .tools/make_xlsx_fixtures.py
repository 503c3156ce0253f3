#!/usr/bin/env python3
"""Regenerates the real-producer fixtures in Tests/GroupSMSCoreTests/Fixtures/XLSX/ (tooling only:
the product and its tests never run this; only the small .xlsx files it produces are committed).

Producers: openpyxl and XlsxWriter (pip install openpyxl xlsxwriter), LibreOffice Calc
(apt-get install libreoffice-calc-nogui; converts a flat ODS written here) and Gnumeric
(apt-get install gnumeric; ssconvert re-saves the LibreOffice workbook).

Usage: python3 .tools/make_xlsx_fixtures.py  (from the package folder)
"""
import os, shutil, subprocess, sys, tempfile, zipfile

import openpyxl
import xlsxwriter

OUT = os.path.join(os.path.dirname(__file__), '..', 'Tests', 'GroupSMSCoreTests', 'Fixtures', 'XLSX')


def openpyxl_files():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = 'Recipients'
    ws['A1'] = 'Phone number'
    ws['A2'] = '13112345678'
    ws['A3'] = 8613112345678
    ws['A4'] = '+44 7700 900123'
    ws['A5'] = '１３１１２３４５６７８'
    ws['A6'] = '0086 131 1234 5678'
    ws['A7'] = 13112345678.0
    ws['A9'] = '  13112345670  '
    ws['B3'].number_format = '@'  # a styled, empty cell outside column A
    wb.create_sheet('Notes')['C3'] = 'other sheets may hold anything'
    wb.save(os.path.join(OUT, 'openpyxl-recipients.xlsx'))

    wb = openpyxl.Workbook()
    ws = wb.active
    ws['A1'] = 'Phone number'
    ws['A2'] = '13112345678'
    ws['A3'] = '="+86"&"13112345679"'  # openpyxl saves formulas without a result
    wb.save(os.path.join(OUT, 'openpyxl-formula-without-result.xlsx'))


def xlsxwriter_files():
    wb = xlsxwriter.Workbook(os.path.join(OUT, 'xlsxwriter-recipients.xlsx'))
    ws = wb.add_worksheet('Recipients')
    bold, red = wb.add_format({'bold': True}), wb.add_format({'font_color': 'red'})
    text = wb.add_format({'num_format': '@'})
    ws.write_string('A1', 'Phone number', bold)
    ws.write_string('A2', '+86 131 1234 5678', text)
    ws.write_number('A3', 8613112345678)
    ws.write_rich_string('A4', '+44 ', red, '7700', ' 900123')
    ws.write_formula('A5', '="+1 415 "&"555 0123"', None, '+1 415 555 0123')
    ws.write_boolean('A6', True)
    ws.write_string('A7', 'tab\there_x0041_')
    ws.write_blank('B2', None, bold)
    ws.write_number('A8', 1.3112345678e10)
    wb.close()

    wb = xlsxwriter.Workbook(os.path.join(OUT, 'xlsxwriter-constant-memory.xlsx'), {'constant_memory': True})
    ws = wb.add_worksheet()
    ws.write_string(0, 0, 'Phone number')
    for row in range(1, 6):
        ws.write_string(row, 0, f'1311234567{row}')
        if row == 4:  # constant_memory writes row by row: the note goes in while row 5 is open
            ws.write_string(row, 2, 'stray note')
    wb.close()


FODS = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
 <office:automatic-styles>
  <style:style style:name="grey" style:family="table-cell"><style:table-cell-properties fo:background-color="#dddddd"/></style:style>
 </office:automatic-styles>
 <office:body><office:spreadsheet>
  <table:table table:name="Recipients">
   <table:table-row><table:table-cell office:value-type="string"><text:p>Phone number</text:p></table:table-cell></table:table-row>
   <table:table-row><table:table-cell office:value-type="string"><text:p>13112345678</text:p></table:table-cell><table:table-cell table:style-name="grey"/></table:table-row>
   <table:table-row><table:table-cell office:value-type="float" office:value="8613112345678"><text:p>8613112345678</text:p></table:table-cell></table:table-row>
   <table:table-row><table:table-cell table:formula="of:=&quot;+86&quot;&amp;&quot;13112345679&quot;" office:value-type="string" office:string-value="+8613112345679"><text:p>+8613112345679</text:p></table:table-cell></table:table-row>
   <table:table-row><table:table-cell office:value-type="string"><text:p>+44 <text:span>7700</text:span> 900123</text:p></table:table-cell></table:table-row>
   <table:table-row><table:table-cell office:value-type="string"><text:p>电话 131-1234-5678</text:p></table:table-cell></table:table-row>
   {extra}
  </table:table>
  <table:table table:name="Notes"><table:table-row><table:table-cell/><table:table-cell office:value-type="string"><text:p>note</text:p></table:table-cell></table:table-row></table:table>
 </office:spreadsheet></office:body>
</office:document>
"""

NOTE_IN_D9 = """<table:table-row table:number-rows-repeated="2"><table:table-cell/></table:table-row>
   <table:table-row><table:table-cell office:value-type="string"><text:p>13212345678</text:p></table:table-cell><table:table-cell table:number-columns-repeated="2"/><table:table-cell office:value-type="string"><text:p>call after 6pm</text:p></table:table-cell></table:table-row>"""


def libreoffice_and_gnumeric_files():
    work = tempfile.mkdtemp()
    try:
        for name, extra in (('libreoffice-recipients', ''), ('libreoffice-note-in-d9', NOTE_IN_D9)):
            source = os.path.join(work, name + '.fods')
            with open(source, 'w', encoding='utf-8') as f:
                f.write(FODS.replace('{extra}', extra))
            subprocess.run(['soffice', '--headless', '-env:UserInstallation=file://' + work + '/profile',
                            '--convert-to', 'xlsx:Calc MS Excel 2007 XML', '--outdir', work, source],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            shutil.copy(os.path.join(work, name + '.xlsx'), os.path.join(OUT, name + '.xlsx'))
        subprocess.run(['ssconvert', '--export-type=Gnumeric_Excel:xlsx2',
                        os.path.join(OUT, 'libreoffice-recipients.xlsx'), os.path.join(OUT, 'gnumeric-recipients.xlsx')],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    os.makedirs(OUT, exist_ok=True)
    openpyxl_files()
    xlsxwriter_files()
    libreoffice_and_gnumeric_files()
    for name in sorted(os.listdir(OUT)):
        if name.endswith('.xlsx'):
            z = zipfile.ZipFile(os.path.join(OUT, name))
            print(name, os.path.getsize(os.path.join(OUT, name)), 'bytes,', len(z.namelist()), 'parts')

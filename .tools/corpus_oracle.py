#!/usr/bin/env python3
"""Independent reference for the XLSX corpus test (tooling only; the product never runs it).

Reads every workbook under a corpus folder with Python's zipfile + ElementTree, applying the
column-A rules of issue 2 (first worksheet by document order, relationships followed, shared
strings joined without rPh, _xHHHH_ decoded, cells without r= following the previous one), and
prints one line per file:

    <relative path>\tok\t<number of non-empty column-A cells>\t<FNV-1a 64 of "A1=text\\n"...>
    <relative path>\trefused\t<first non-empty cell outside column A>
    <relative path>\trefused\t-            (the file itself is refused: not a zip, OLE2, empty...)

Usage: corpus_oracle.py /work/shared/corpus/realworld > Tests/GroupSMSCoreTests/Fixtures/XLSX/corpus-expectations.tsv
"""
import os, posixpath, re, sys, zipfile
import xml.etree.ElementTree as ET
from urllib.parse import unquote

def local(tag):
    return tag.rsplit('}', 1)[-1]

def attr(el, name):
    for k, v in el.attrib.items():
        if local(k) == name:
            return v
    return None

class Pkg:
    def __init__(self, z):
        self.z = z
        self.names = {}
        for n in z.namelist():
            self.names.setdefault(n.replace('\\', '/').lstrip('/').lower(), n)
    def has(self, part):
        return part.lower() in self.names
    def read(self, part):
        return self.z.read(self.names[part.lower()])

def resolve(target, source):
    target = unquote(target.replace('\\', '/'))
    segs = [] if target.startswith('/') else source.split('/')[:-1]
    for s in target.split('/'):
        if s in ('', '.'):
            continue
        if s == '..':
            if segs: segs.pop()
        else:
            segs.append(s)
    return '/'.join(segs)

def rels(pkg, part, source):
    out = []
    for el in ET.fromstring(pkg.read(part)).iter():
        if local(el.tag) == 'Relationship' and el.get('TargetMode') != 'External' and el.get('Target'):
            out.append((el.get('Id'), el.get('Type', '').split('/')[-1], resolve(el.get('Target'), source)))
    return out

ESC = re.compile(r'_[xX]([0-9A-Fa-f]{4})_')
def unescape(s):
    units = []
    pos = 0
    out = ''
    def flush():
        nonlocal units, out
        b = b''.join(u.to_bytes(2, 'big') for u in units)
        out += b.decode('utf-16-be', errors='replace')
        units = []
    while pos < len(s):
        m = ESC.match(s, pos)
        if m:
            units.append(int(m.group(1), 16)); pos = m.end()
        else:
            flush(); out += s[pos]; pos += 1
    flush()
    return out

def text_of(el):
    """Joined <t> text of an <si> or <is>, skipping <rPh>."""
    parts = []
    def walk(node, phonetic):
        for child in node:
            name = local(child.tag)
            if name == 'rPh':
                continue
            if name == 't' and not phonetic:
                parts.append(child.text or '')
            else:
                walk(child, phonetic)
    walk(el, False)
    return unescape(''.join(parts))

def col_of(ref):
    m = re.match(r'([A-Za-z]+)(\d*)$', ref)
    c = 0
    for ch in m.group(1).upper():
        c = c * 26 + ord(ch) - 64
    return c, int(m.group(2)) if m.group(2) else None

def name(col, row):
    s = ''
    while col:
        col, r = divmod(col - 1, 26); s = chr(65 + r) + s
    return f'{s}{row}'

def check(path):
    with open(path, 'rb') as f:
        head = f.read(8)
    if len(head) < 4 or head[:2] != b'PK':
        return ('refused', '-')
    z = zipfile.ZipFile(path)
    pkg = Pkg(z)
    wb = None
    if pkg.has('_rels/.rels'):
        wb = next((t for _, ty, t in rels(pkg, '_rels/.rels', '') if ty == 'officeDocument'), None)
    if wb is None:
        if not pkg.has('xl/workbook.xml'):
            return ('refused', '-')
        wb = 'xl/workbook.xml'
    wrels_part = posixpath.join(posixpath.dirname(wb), '_rels', posixpath.basename(wb) + '.rels')
    wrels = rels(pkg, wrels_part, wb)
    sheets = {i: t for i, ty, t in wrels if ty == 'worksheet'}
    shared_part = next((t for _, ty, t in wrels if ty == 'sharedStrings'), None)
    if shared_part is None or not pkg.has(shared_part):
        guess = resolve('sharedStrings.xml', wb)
        shared_part = guess if pkg.has(guess) else None
    sheet = None
    for el in ET.fromstring(pkg.read(wb)).iter():
        if local(el.tag) == 'sheet' and attr(el, 'id') in sheets:
            sheet = sheets[attr(el, 'id')]; break
    if sheet is None:
        return ('refused', '-')
    sst = []
    if shared_part:
        sst = [text_of(si) for si in ET.fromstring(pkg.read(shared_part)).iter() if local(si.tag) == 'si']
    cells = []
    row = 0
    for r in ET.fromstring(pkg.read(sheet)).iter():
        if local(r.tag) != 'row':
            continue
        row = int(r.get('r')) if r.get('r') else row + 1
        col = 0
        for c in r:
            if local(c.tag) != 'c':
                continue
            if c.get('r'):
                col, rr = col_of(c.get('r'))
                if rr: row = rr
            else:
                col += 1
            t = c.get('t') or 'n'
            v = next((x for x in c if local(x.tag) == 'v'), None)
            isel = next((x for x in c if local(x.tag) == 'is'), None)
            f = next((x for x in c if local(x.tag) == 'f'), None)
            if t == 's':
                if v is None or not (v.text or '').strip().isdigit() or int(v.text) >= len(sst):
                    return ('refused', name(col, row))
                text = sst[int(v.text)]
            elif t == 'inlineStr' or (t == 'n' and isel is not None and v is None):
                text = text_of(isel) if isel is not None else unescape(v.text or '') if v is not None else ''
            elif t == 'str':
                text = unescape(v.text or '') if v is not None else ''
            else:
                text = (v.text or '').strip() if v is not None else ''
            is_string = t in ('s', 'inlineStr', 'str') or (t == 'n' and isel is not None and v is None)
            if col == 1:
                if text:
                    cells.append(f'{name(col, row)}={text}\n')
                elif f is not None and not is_string:
                    return ('refused', name(col, row))
            elif text or f is not None:
                return ('refused', name(col, row))
    digest = 0xcbf29ce484222325
    for byte in ''.join(cells).encode('utf-8'):
        digest = ((digest ^ byte) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return ('ok', f'{len(cells)}\t{digest:016x}')

root = sys.argv[1]
for dirpath, _, files in sorted(os.walk(root)):
    for fn in sorted(files):
        if fn.endswith('.xlsx'):
            p = os.path.join(dirpath, fn)
            try:
                result = check(p)
            except Exception as e:
                result = ('refused', '-')
            print(f'{os.path.relpath(p, root)}\t{result[0]}\t{result[1]}')

#!/usr/bin/env python3
"""Writes the hostile and broken fixtures (Tests/Fixtures/hostile/): files in the platforms' real
layouts, each broken one way a real or malicious file is (docs/security.md lists the cases).

Run from the repository root: python3 Tests/Fixtures/generate_hostile.py
"""
import os, zipfile, zlib
from xml.sax.saxutils import escape
from generate import HERE, TRENDYOL_HEADER, col, write_xlsx

OUT = os.path.join(HERE, "hostile")

def path(name):
    return os.path.join(OUT, name)

def trendyol_cells(order, barcode, invoiced):
    cells = {h: "" for h in TRENDYOL_HEADER}
    cells.update({"Barkod": barcode, "Paket No": "P" + order, "Sipariş Tarihi": "20.11.2026 10:00", "Sipariş Numarası": order,
                  "Sipariş Statüsü": "Oluşturuldu", "Stok Kodu": "SKU-" + order, "Adet": "1", "Faturalanacak Tutar": invoiced})
    return [cells[h] for h in TRENDYOL_HEADER]

def trendyol_csv(name, rows, extra=b""):
    lines = [";".join(TRENDYOL_HEADER)] + [";".join(r) for r in rows]
    with open(path(name), "wb") as f:
        f.write(("\r\n".join(lines) + "\r\n").encode("utf-8") + extra)

def zip_parts(name, parts):
    with zipfile.ZipFile(path(name), "w", zipfile.ZIP_DEFLATED) as z:
        for part, data in parts:
            zi = zipfile.ZipInfo(part, date_time=(2026, 11, 23, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, data)

WORKBOOK = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="Siparişler" sheetId="1" r:id="rId1"/></sheets></workbook>')
RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '</Relationships>')

def inline_row(r, cells):
    return f'<row r="{r}">' + "".join(
        f'<c r="{col(i)}{r}" t="inlineStr"><is><t>{escape(str(v))}</t></is></c>' for i, v in enumerate(cells) if v != "") + "</row>"

def sheet(rows_xml, doctype=""):
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + doctype +
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            + rows_xml + "</sheetData></worksheet>")

def workbook(name, sheet_xml, extra=()):
    zip_parts(name, [("xl/workbook.xml", WORKBOOK), ("xl/_rels/workbook.xml.rels", RELS),
                     ("xl/worksheets/sheet1.xml", sheet_xml)] + list(extra))

def main():
    os.makedirs(OUT, exist_ok=True)
    header = inline_row(1, TRENDYOL_HEADER)
    good = inline_row(2, trendyol_cells("700001", "8690000000001", "100,00"))

    # Amounts: a line of 1.000.000.000.000.000,00 TL (10^17 kuruş: fits Int64, not any real order).
    trendyol_csv("trendyol-huge-amount.csv", [trendyol_cells("700001", "8690000000001", "100,00"),
                                               trendyol_cells("700002", "8690000000002", "1.000.000.000.000.000,00")])
    # A bad quote on line 3,002: 3,000 good rows first.
    rows = [trendyol_cells(str(710000 + k), "869%010d" % k, "10,00") for k in range(3000)]
    rows.append(trendyol_cells("713000", '86"9', "10,00"))
    rows[-1][0] = 'abc"def'
    trendyol_csv("trendyol-bad-quote.csv", rows + [trendyol_cells("713001", "8690000000001", "10,00")])
    # A NUL byte inside a field.
    trendyol_csv("trendyol-nul.csv", [trendyol_cells("720001", "8690000000001", "10,00"),
                                       trendyol_cells("720002", "869\x000000002", "10,00")])
    # A header cut at a bad quote on line 1 (the real cause must show, not "no column").
    with open(path("trendyol-bad-quote-header.csv"), "wb") as f:
        f.write(";".join(TRENDYOL_HEADER).replace("Paket No", 'Paket "No').encode("utf-8") + b"\r\n1;2\r\n")

    # Cell references past Excel's last column, one of 15 letters.
    workbook("column-overflow.xlsx", sheet(header + good.replace('r="A2"', 'r="AAAAAAAAAAAAAAA2"', 1)))
    workbook("column-far.xlsx", sheet(header + '<row r="3"><c r="ZZZZZZ3" t="inlineStr"><is><t>x</t></is></c></row>'))
    # An internal entity in the sheet and in the shared strings (8000&n;2 would read 80002).
    doctype = '<!DOCTYPE worksheet [<!ENTITY n "0">]>'
    workbook("entity-sheet.xlsx", sheet(header + good.replace("700001", "8000&n;2"), doctype))
    sst = ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE sst [<!ENTITY n "0">]>'
           '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>8000&n;2</t></si></sst>')
    rels_sst = RELS.replace("</Relationships>", '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/'
                            'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
    zip_parts("entity-shared-strings.xlsx", [("xl/workbook.xml", WORKBOOK), ("xl/_rels/workbook.xml.rels", rels_sst),
              ("xl/worksheets/sheet1.xml", sheet(header + good.replace('t="inlineStr"><is><t>700001</t></is>', '><v>0</v>')
                                                 .replace('<c r="H2" >', '<c r="H2" t="s">'))),
              ("xl/sharedStrings.xml", sst)])
    # 100,000 empty (formatted) rows after one order (the reported file had 8.7 million in 81 KB).
    empty = "".join(f'<row r="{r}"/>' for r in range(3, 100_003))
    workbook("empty-rows.xlsx", sheet(header + good + empty))
    # A zip bomb: a well-formed sheet that unzips ~1000 times larger than it is.
    bomb_rows = '<row r="3"><c r="A3" t="inlineStr"><is><t>' + "A" * 60_000 + "</t></is></c></row>"
    workbook("bomb.xlsx", sheet(header + good + bomb_rows * 3_000))
    # 2,000 orders: a sheet of several read-ahead chunks (64 KiB each, inflated on their own
    # thread); then the same workbook with the sheet's checksum changed in the zip directory:
    # every row reads, and the check at the sheet's end fails the file.
    many = "".join(inline_row(r + 3, trendyol_cells(str(730000 + r), "869%010d" % r, "10,00")) for r in range(2000))
    workbook("many-orders.xlsx", sheet(header + good + many))
    with open(path("many-orders.xlsx"), "rb") as f:
        data = bytearray(f.read())
    entry = data.index(b"PK\x01\x02")  # the first central directory record
    while data[entry + 46:entry + 46 + int.from_bytes(data[entry + 28:entry + 30], "little")] != b"xl/worksheets/sheet1.xml":
        entry = data.index(b"PK\x01\x02", entry + 4)
    data[entry + 16:entry + 20] = bytes(b ^ 0xFF for b in data[entry + 16:entry + 20])
    with open(path("bad-checksum.xlsx"), "wb") as f:
        f.write(data)
    # The same order as a sheet written the way other tools write XML (the OpenXML SDK's x:
    # prefix, single quotes, blanks around '=', comments, a processing instruction, CDATA,
    # character references, CR LF between rows): it must land exactly as the plain one.
    workbook("plain-sheet.xlsx", sheet(header + good))
    unkind = (header + good).replace("<", "<x:").replace("<x:/", "</x:")
    unkind = unkind.replace(' r="', " r = '").replace('" t="', "' t='").replace('">', "'>")
    unkind = unkind.replace("</x:row>", "</x:row>\r\n<!-- saved by a tool -->\r\n<?tool hint?>")
    unkind = unkind.replace("<x:t>700001</x:t>", "<x:t><![CDATA[700001]]></x:t>").replace("Oluşturuldu", "Olu&#351;turuldu")
    workbook("unkind-sheet.xlsx", '<?xml version="1.0" encoding="utf-8"?>\r\n<x:worksheet xmlns:x='
             '"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>' + unkind + "</x:sheetData></x:worksheet>")
    # A cell whose text is not UTF-8 (a damaged file), and a row never closed.
    zip_parts("not-utf8-sheet.xlsx", [("xl/workbook.xml", WORKBOOK), ("xl/_rels/workbook.xml.rels", RELS),
              ("xl/worksheets/sheet1.xml", sheet(header + good).encode("utf-8").replace(b"SKU-700001", b"SKU-\xff700001"))])
    workbook("unclosed-row.xlsx", sheet(header + good.replace("</row>", "")))
    # Not a workbook's zip at all, cut in half; an encrypted workbook (OLE container); no sheet.
    with open(path("bomb.xlsx"), "rb") as f:
        data = f.read()
    with open(path("truncated.xlsx"), "wb") as f:
        f.write(data[: len(data) // 2])
    with open(path("encrypted.xlsx"), "wb") as f:
        f.write(bytes([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) + b"\0" * 4088)
    zip_parts("no-sheet.xlsx", [("xl/workbook.xml", WORKBOOK.replace('<sheet name="Siparişler" sheetId="1" r:id="rId1"/>', "")),
                                ("xl/_rels/workbook.xml.rels", RELS)])

    # Found by fuzz/run (FuzzXLSX): a zip64 directory record whose entry count does not fit an Int64.
    import struct
    with open(path("no-sheet.xlsx"), "rb") as f:
        data = f.read()
    eocd = data.rindex(b"PK\x05\x06")
    record = b"PK\x06\x06" + struct.pack("<QHHIIQQQQ", 44, 45, 45, 0, 0, 2**64 - 1, 2**64 - 1, 100, 0)
    locator = b"PK\x06\x07" + struct.pack("<IQI", 0, eocd, 1)
    os.makedirs(os.path.join(HERE, "fuzz-regressions", "FuzzXLSX"), exist_ok=True)
    with open(os.path.join(HERE, "fuzz-regressions", "FuzzXLSX", "zip64-entry-count.xlsx"), "wb") as f:
        f.write(data[:eocd] + record + locator + data[eocd:])

    # N11 in UTF-16 (a Windows tool's save): read as XML all the same.
    with open(os.path.join(HERE, "n11", "DetailedOrderList.xml"), encoding="utf-8") as f:
        xml = f.read().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    with open(path("n11-utf16.xml"), "wb") as f:
        f.write(b"\xff\xfe" + xml.encode("utf-16-le"))
    # An epoch date near Int64's end, and one 100 times too large (seconds given as centiseconds).
    with open(path("epoch-dates.tsv"), "w", encoding="utf-8") as f:
        f.write("order\tcreated\tsku\tqty\ttotal\n1\t9223372036854775000\tA\t1\t10.00\n2\t99999999999999\tA\t1\t10.00\n"
                "3\t1795400000\tA\t1\t10.00\n")

if __name__ == "__main__":
    main()

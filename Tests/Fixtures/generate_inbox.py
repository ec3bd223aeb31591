#!/usr/bin/env python3
"""Writes the fixtures of the rest of a seller's inbox (see docs/fixtures.md): N11 orders, a
Yurtiçi Kargo shipment report in the queryShipment field names (Excel-friendly: `;`, UTF-8 BOM,
CRLF) and the next day's overlapping re-download, a shop plugin's headerless bulk tracking file,
and UBL-TR invoices an e-invoice provider sent back (a zip of three, each with the base64 XSLT
providers embed, and a single one). Identities are invented; each passes its check digits.

Run from the repository root: python3 Tests/Fixtures/generate_inbox.py
"""
import base64, os, zipfile
from generate import HERE
from generate_invoices import n11_order, tax

OUT = os.path.join(HERE, "inbox")

def write_orders():
    orders = [
        n11_order("208000001", "Kuzey Yazılım A.Ş.", tax("4567890128")),
        n11_order("208000002", "Ayşe Demir", tckn="10000000146", price="236.00"),
        n11_order("208000003", "Mehmet Öz", price="59.90"),
        n11_order("208000004", "Zeynep Kara", price="100.00"),
        n11_order("208000005", "Ali Veli", price="75.50"),
        n11_order("208000006", "Can Yücel", price="40.00"),
    ]
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n'
           '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body>\n'
           '  <ns3:DetailedOrderListResponse xmlns:ns3="http://www.n11.com/ws/schemas">\n'
           '  <result><status>success</status></result>\n  <orderList>\n' + "".join(orders)
           + '  </orderList>\n  </ns3:DetailedOrderListResponse>\n</SOAP-ENV:Body></SOAP-ENV:Envelope>\n')
    with open(os.path.join(OUT, "n11-orders.xml"), "w", encoding="utf-8") as f:
        f.write(xml)

YURTICI = ["cargoKey", "invoiceKey", "jobId", "operationCode", "operationMessage", "operationStatus", "docId", "trackingUrl",
           "documentDate", "documentTime", "deliveryDate", "deliveryTime", "receiverCustName", "cargoEventExplanation",
           "arrivalUnitName", "returnDocId", "totalAmount"]

def yurtici_row(key, order, status, message, doc, date, time, delivered="", dtime="", event="", returned="", amount="45,90"):
    url = f"https://www.yurticikargo.com/tr/online-servisler/gonderi-sorgula?code={doc}" if doc else ""
    return [key, order, "0", "0", message, status, doc, url, date, time, delivered, dtime, "***", event,
            "Kadıköy Şube", returned, amount]

def write_yurtici(name, rows):
    lines = [";".join(YURTICI)] + [";".join(r) for r in rows]
    with open(os.path.join(OUT, name), "w", encoding="utf-8-sig", newline="") as f:
        f.write("\r\n".join(lines) + "\r\n")

DAY1 = [
    yurtici_row("PK208000001", "208000001", "DLV", "Kargo teslim edilmiştir.", "725100000001", "20261121", "101500",
                "20261123", "143000", "Teslim edildi"),
    yurtici_row("PK208000002", "208000002", "ISR", "Kargo işlem görmüştür.", "725100000002", "20261122", "090000",
                event="Transfer merkezinde"),
    yurtici_row("PK208000003", "208000003", "IND", "Kargo teslimattadır.", "725100000003", "20261122", "091500",
                event="Dağıtımda"),
    yurtici_row("PK208000004", "208000004", "DLV", "Kargo teslim edilmiştir.", "725100000004", "20261121", "080000",
                "20261122", "110000", "Teslim edildi"),
    yurtici_row("PK208000005", "208000005", "CNL", "Çıkışı engellenmiştir.", "", "20261122", "100000"),
    yurtici_row("PK208000099", "208000099", "ISR", "Kargo işlem görmüştür.", "725100000099", "20261122", "100000"),
]
# The next day's re-download: the same rows, 002 delivered now, 004 on its way back.
DAY2 = DAY1[:1] + [
    yurtici_row("PK208000002", "208000002", "DLV", "Kargo teslim edilmiştir.", "725100000002", "20261122", "090000",
                "20261124", "120500", "Teslim edildi"),
] + DAY1[2:3] + [
    yurtici_row("PK208000004", "208000004", "ISR", "İade gönderisi.", "725100000004", "20261125", "090000",
                returned="725200000004"),
] + DAY1[4:]

def write_plugin():
    # As the plugin's bulk import expects it: no header, blanks after commas.
    with open(os.path.join(OUT, "kargo-takip-toplu.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("208000006, Yurtici, 725000000006\n208000003, Yurtiçi Kargo, 725100000003\n")

XSLT = base64.b64encode(("<xsl:stylesheet version=\"1.0\" xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\">"
                         + "<xsl:template match=\"/\"><html><body>Fatura</body></html></xsl:template>" * 200
                         + "</xsl:stylesheet>").encode()).decode()

def invoice(number, uuid, date, payable, order=None, buyer=("TCKN", "11111111111"), kind="SATIS", returned=None,
            profile="EARSIVFATURA"):
    base = f"{float(payable) / 1.2:.2f}"
    tax_amount = f"{float(payable) - float(base):.2f}"
    ref = f"<cac:OrderReference><cbc:ID>{order}</cbc:ID><cbc:IssueDate>2026-11-20</cbc:IssueDate></cac:OrderReference>" if order else ""
    billing = (f"<cac:BillingReference><cac:InvoiceDocumentReference><cbc:ID>{returned}</cbc:ID>"
               "<cbc:IssueDate>2026-11-23</cbc:IssueDate><cbc:DocumentTypeCode>IADE</cbc:DocumentTypeCode>"
               "</cac:InvoiceDocumentReference></cac:BillingReference>") if returned else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
         xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
         xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
         xmlns:ext="urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2">
  <ext:UBLExtensions><ext:UBLExtension><ext:ExtensionContent/></ext:UBLExtension></ext:UBLExtensions>
  <cbc:UBLVersionID>2.1</cbc:UBLVersionID>
  <cbc:CustomizationID>TR1.2</cbc:CustomizationID>
  <cbc:ProfileID>{profile}</cbc:ProfileID>
  <cbc:ID>{number}</cbc:ID>
  <cbc:CopyIndicator>false</cbc:CopyIndicator>
  <cbc:UUID>{uuid}</cbc:UUID>
  <cbc:IssueDate>{date}</cbc:IssueDate>
  <cbc:IssueTime>15:16:17</cbc:IssueTime>
  <cbc:InvoiceTypeCode>{kind}</cbc:InvoiceTypeCode>
  <cbc:DocumentCurrencyCode>TRY</cbc:DocumentCurrencyCode>
  <cbc:LineCountNumeric>1</cbc:LineCountNumeric>
  {ref}{billing}
  <cac:AdditionalDocumentReference>
    <cbc:ID>{uuid}</cbc:ID><cbc:IssueDate>{date}</cbc:IssueDate>
    <cac:Attachment><cbc:EmbeddedDocumentBinaryObject characterSetCode="UTF-8" encodingCode="Base64" filename="{number}.xslt" mimeCode="application/xml">{XSLT}</cbc:EmbeddedDocumentBinaryObject></cac:Attachment>
  </cac:AdditionalDocumentReference>
  <cac:AccountingSupplierParty><cac:Party>
    <cac:PartyIdentification><cbc:ID schemeID="VKN">1234567890</cbc:ID></cac:PartyIdentification>
    <cac:PartyIdentification><cbc:ID schemeID="MERSISNO">0123456789000017</cbc:ID></cac:PartyIdentification>
    <cac:PartyName><cbc:Name>Demo Ticaret A.Ş.</cbc:Name></cac:PartyName>
  </cac:Party></cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty><cac:Party>
    <cac:PartyIdentification><cbc:ID schemeID="{buyer[0]}">{buyer[1]}</cbc:ID></cac:PartyIdentification>
  </cac:Party></cac:AccountingCustomerParty>
  <cac:TaxTotal><cbc:TaxAmount currencyID="TRY">{tax_amount}</cbc:TaxAmount>
    <cac:TaxSubtotal><cbc:TaxableAmount currencyID="TRY">{base}</cbc:TaxableAmount><cbc:TaxAmount currencyID="TRY">{tax_amount}</cbc:TaxAmount>
      <cbc:Percent>20</cbc:Percent><cac:TaxCategory><cac:TaxScheme><cbc:Name>KDV</cbc:Name><cbc:TaxTypeCode>0015</cbc:TaxTypeCode></cac:TaxScheme></cac:TaxCategory>
    </cac:TaxSubtotal></cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="TRY">{base}</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount currencyID="TRY">{base}</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="TRY">{payable}</cbc:TaxInclusiveAmount>
    <cbc:PayableAmount currencyID="TRY">{payable}</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
  <cac:InvoiceLine><cbc:ID>1</cbc:ID><cbc:InvoicedQuantity unitCode="C62">1</cbc:InvoicedQuantity>
    <cbc:LineExtensionAmount currencyID="TRY">{base}</cbc:LineExtensionAmount>
    <cac:Item><cbc:Name>Kitap</cbc:Name></cac:Item><cac:Price><cbc:PriceAmount currencyID="TRY">{base}</cbc:PriceAmount></cac:Price>
  </cac:InvoiceLine>
</Invoice>
"""

def write_invoices():
    batch = [
        # Names its order.
        ("QNB2026000000101.xml", invoice("QNB2026000000101", "0C1F6B2E-6A3B-4C55-8E0A-3A6B1D2E0101", "2026-11-21", "118.00",
                                         order="208000001", buyer=("VKN", "4567890128"), profile="TEMELFATURA")),
        # No order reference: the buyer's TCKN, the amount and the date point at one order.
        ("QNB2026000000102.xml", invoice("QNB2026000000102", "0C1F6B2E-6A3B-4C55-8E0A-3A6B1D2E0102", "2026-11-22", "236.00",
                                         buyer=("TCKN", "10000000146"))),
        # Names its order, but for another amount: flagged, not attached.
        ("QNB2026000000103.xml", invoice("QNB2026000000103", "0C1F6B2E-6A3B-4C55-8E0A-3A6B1D2E0103", "2026-11-22", "69.90",
                                         order="208000003")),
    ]
    with zipfile.ZipFile(os.path.join(OUT, "efatura-paket.zip"), "w", zipfile.ZIP_DEFLATED) as z:
        for name, xml in batch:
            zi = zipfile.ZipInfo(name, date_time=(2026, 11, 22, 18, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, xml)
    with open(os.path.join(OUT, "QNB2026000000104.xml"), "w", encoding="utf-8") as f:
        f.write(invoice("QNB2026000000104", "0C1F6B2E-6A3B-4C55-8E0A-3A6B1D2E0104", "2026-11-23", "75.50", order="208000005"))

if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    write_orders()
    write_yurtici("yurtici-rapor-1.csv", DAY1)
    write_yurtici("yurtici-rapor-2.csv", DAY2)
    write_plugin()
    write_invoices()

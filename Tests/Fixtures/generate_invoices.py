#!/usr/bin/env python3
"""Writes the invoicing fixtures (Tests/Fixtures/invoices/): a GİB e-Fatura user list in the
layout of GİB's NewUserList.xsd (plain and zipped), and N11 / Shopify orders of every kind of
buyer an invoice must tell apart. Identities are invented; each passes its check digits.

Run from the repository root: python3 Tests/Fixtures/generate_invoices.py
"""
import os, zipfile
from generate import HERE

OUT = os.path.join(HERE, "invoices")

def user(identifier, title, kind, aliases, despatch_only=False):
    docs = "".join(
        f"<Alias><Name>urn:mail:defaultpk@{identifier}.com.tr</Name><CreationTime>{c}</CreationTime>"
        + (f"<DeletionTime>{d}</DeletionTime>" if d else "") + "</Alias>" for c, d in aliases)
    doc_type = "DespatchAdvice" if despatch_only else "Invoice"
    return (f"<User><Identifier>{identifier}</Identifier><Title>{title}</Title><Type>{kind}</Type>"
            f"<FirstCreationTime>{aliases[0][0]}</FirstCreationTime><AccountType>OZELENTEGRASYON</AccountType>"
            f'<Documents><Document type="{doc_type}">{docs}</Document></Documents></User>')

USERS = [
    user("4567890128", "Kuzey Yazılım A.Ş.", "OZEL", [("2015-03-27T16:13:26.000+03:00", None)]),
    user("2000000002", "Eski Ticaret Ltd. Şti.", "OZEL", [("2016-01-04T10:00:00.000+03:00", "2025-06-01T00:00:00.000+03:00")]),
    user("3000000003", "Ankara Büyükşehir Belediyesi", "KAMU", [("2017-05-02T09:00:00.000+03:00", None)]),
    user("5000000005", "Sevkiyat Lojistik A.Ş.", "OZEL", [("2018-01-01T00:00:00.000+03:00", None)], despatch_only=True),
    # Registered again after a gap: the periods are kept apart.
    user("6000000006", "Dönen Mağazacılık A.Ş.", "OZEL", [("2015-01-01T00:00:00+03:00", "2019-01-01T00:00:00+03:00"),
                                                            ("2024-01-01T00:00:00+03:00", None)]),
]

def write_user_list():
    xml = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<UserList>' + "".join(USERS) + "</UserList>\n"
    with open(os.path.join(OUT, "userlist.xml"), "w", encoding="utf-8") as f:
        f.write(xml)
    with zipfile.ZipFile(os.path.join(OUT, "userlist.zip"), "w", zipfile.ZIP_DEFLATED) as z:
        zi = zipfile.ZipInfo("newUserPkList.xml", date_time=(2026, 11, 22, 6, 0, 0))
        zi.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(zi, xml)

def n11_order(number, buyer, tax="", tckn="11111111111", vat="20", price="118.00", city="Ankara"):
    return f"""    <order>
      <id>{number[-2:]}</id><orderNumber>{number}</orderNumber><createDate>20/11/2026 10:00</createDate><status>2</status>
      <citizenshipId>{tckn}</citizenshipId><paymentType>1</paymentType>
      <totalAmount>{price}</totalAmount><totalDiscountAmount>0.00</totalDiscountAmount>
      <buyer><id>{number[-2:]}</id><fullName>{buyer}</fullName><email>alici@example.com</email>{tax}</buyer>
      <shippingAddress><address>Kızılay Mah. {number[-2:]}</address><city>{city}</city><district>Çankaya</district><gsm>05550000000</gsm></shippingAddress>
      <billingAddress><address>Kızılay Mah. {number[-2:]}</address><city>{city}</city><district>Çankaya</district><fullName>{buyer}</fullName></billingAddress>
      <orderItemList>
        <orderItem><id>{number[-2:]}1</id><productSellerCode>INV-{number[-2:]}</productSellerCode><productName>Kitap</productName>
          <quantity>1</quantity><price>{price}</price><dueAmount>{price}</dueAmount><sellerInvoiceAmount>{price}</sellerInvoiceAmount>
          <vatRate>{vat}</vatRate><status>5</status></orderItem>
      </orderItemList>
    </order>
"""

def tax(vkn, office="Çankaya"):
    return f"<taxId>{vkn}</taxId><taxOffice>{office}</taxOffice>"

def write_orders():
    orders = [
        n11_order("207000001", "Kuzey Yazılım A.Ş.", tax("4567890128")),        # registered: e-Fatura
        n11_order("207000002", "Güney Gıda Ltd. Şti.", tax("7000000007")),      # a company not on the list: e-Arşiv
        n11_order("207000003", "Eski Ticaret Ltd. Şti.", tax("2000000002")),    # alias deleted before: e-Arşiv
        n11_order("207000004", "Ayşe Demir", tckn="10000000146"),               # consumer with a TCKN
        n11_order("207000005", "Ali Veli"),                                      # anonymous consumer
        n11_order("207000006", "Ankara Büyükşehir Belediyesi", tax("3000000003")),  # KAMU
        n11_order("207000007", "Zeynep Kara", vat="0", price="100.00"),          # 0 % KDV
        n11_order("207000008", "Hatalı Vergi A.Ş.", tax("1234567891")),         # a VKN with a wrong check digit: held
        n11_order("207000009", "Sevkiyat Lojistik A.Ş.", tax("5000000005")),    # only an e-İrsaliye user: e-Arşiv
        n11_order("207000010", "Dönen Mağazacılık A.Ş.", tax("6000000006")),    # registered again: e-Fatura
    ]
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n'
           '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body>\n'
           '  <ns3:DetailedOrderListResponse xmlns:ns3="http://www.n11.com/ws/schemas">\n'
           '  <result><status>success</status></result>\n  <orderList>\n' + "".join(orders)
           + '  </orderList>\n  </ns3:DetailedOrderListResponse>\n</SOAP-ENV:Body></SOAP-ENV:Envelope>\n')
    with open(os.path.join(OUT, "n11-buyers.xml"), "w", encoding="utf-8") as f:
        f.write(xml)
    header = ("Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Currency,Subtotal,Shipping,Taxes,Total,"
              "Shipping Method,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Lineitem discount,"
              "Billing Name,Billing Street,Billing City,Billing Zip,Billing Country,Payment Method,Cancelled at")
    rows = ["#7001,hans@example.de,paid,2026-11-20 10:05:00 +0300,fulfilled,2026-11-21 09:00:00 +0300,TRY,240.00,0.00,40.00,"
            "240.00,Aras Kargo,2026-11-20 10:00:00 +0300,2,Çay Bardağı,120.00,CAY-2,0.00,Hans Müller,Hauptstr. 5,Berlin,10115,DE,"
            "Kredi Kartı,"]
    with open(os.path.join(OUT, "shopify-foreign.csv"), "w", encoding="utf-8") as f:
        f.write("\n".join([header] + rows) + "\n")

if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    write_user_list()
    write_orders()

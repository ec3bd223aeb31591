#!/usr/bin/env python3
"""Writes the orders the ERP golden files and the import simulation are made from (see
docs/fixtures.md): a Shopify export with a 99,99 TL order at 20 % KDV, a shipping charge, a
quantity whose total does not divide (3 pieces for 100,00 TL) and a line discount; an N11
response with a company buyer (VKN), a 10 % line and an amount whose KDV ends in half a kuruş.
Identities are invented; each passes its check digits.

Run from the repository root: python3 Tests/Fixtures/generate_erp.py
"""
import os
from generate import HERE
from generate_invoices import n11_order, tax

OUT = os.path.join(HERE, "erp")

def shopify():
    header = ("Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Currency,Subtotal,Shipping,Taxes,Total,"
              "Shipping Method,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Lineitem discount,"
              "Billing Name,Billing Street,Billing City,Billing Zip,Billing Country,Payment Method,Cancelled at")
    rows = [
        # 99,99 TL at 20 %: KDV 16,665 → 16,67, base 83,32.
        "#9001,ayse@example.com,paid,2026-11-20 10:05:00 +0300,fulfilled,2026-11-21 09:00:00 +0300,TRY,99.99,0.00,16.67,99.99,"
        "Yurtiçi Kargo,2026-11-20 10:00:00 +0300,1,Seramik Kupa,99.99,KUPA-1,0.00,Ayşe Yılmaz,Moda Cad. 1,İstanbul,34710,TR,"
        "Kredi Kartı,",
        # 3 for 100,00 TL (after a discount) and shipping 29,90: the total does not divide by 3.
        "#9002,mehmet@example.com,paid,2026-11-20 11:00:00 +0300,fulfilled,2026-11-21 09:00:00 +0300,TRY,100.00,29.90,21.65,129.90,"
        "Aras Kargo,2026-11-20 10:55:00 +0300,3,Çay Bardağı,35.00,CAY-6,5.00,Mehmet Öz,Atatürk Blv. 5,Ankara,06420,TR,"
        "Kredi Kartı,",
    ]
    with open(os.path.join(OUT, "shopify.csv"), "w", encoding="utf-8") as f:
        f.write("\n".join([header] + rows) + "\n")

def n11():
    orders = [
        n11_order("210000001", "Kuzey Yazılım A.Ş.", tax("4567890128"), vat="10", price="1250.50"),
        n11_order("210000002", "Zeynep Kara", tckn="10000000146", vat="20", price="0.03"),
    ]
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n'
           '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body>\n'
           '  <ns3:DetailedOrderListResponse xmlns:ns3="http://www.n11.com/ws/schemas">\n'
           '  <result><status>success</status></result>\n  <orderList>\n' + "".join(orders)
           + '  </orderList>\n  </ns3:DetailedOrderListResponse>\n</SOAP-ENV:Body></SOAP-ENV:Envelope>\n')
    with open(os.path.join(OUT, "n11.xml"), "w", encoding="utf-8") as f:
        f.write(xml)

if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    shopify()
    n11()

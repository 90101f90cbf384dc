# How baskets.tsv.gz was made (run once, by hand; nothing runs this in the build or tests).
# Input: data/onlineretail.rda of https://github.com/allanvc/onlineretail (commit 3a77afe,
# sha256 d686c7ec387fdc64fde3a5b6f1c31d43751735f4053f34c92e677beacf5e0664), an xz-compressed
# R data file holding one data frame. Output: one invoice per line, its UTC date, a tab, and
# its distinct stock codes in invoice order. Dropped: cancellations (invoice "C..."), lines
# that are not a product (postage, fees, discounts, manual entries, gift vouchers: codes not
# five digits and an optional letter or two) and lines with no positive quantity or price.
# Usage: python3 convert.py onlineretail.rda baskets.tsv.gz
import datetime, gzip, lzma, re, struct, sys

data = lzma.open(sys.argv[1]).read()
assert data[:7] == b"RDX3\nX\n", "not an R version 3 XDR data file"
pos = 7


def integer():
    global pos
    (value,) = struct.unpack(">i", data[pos:pos + 4])
    pos += 4
    return value


def item(refs):
    """One object of R's serialisation format (just the types a data frame of strings and doubles uses)."""
    global pos
    flags = integer()
    kind, has_attributes, has_tag = flags & 0xFF, flags & 0x200, flags & 0x400
    if kind == 254:  # NULL
        return None
    if kind == 255:  # a reference to an earlier symbol
        return refs[(flags >> 8 or integer()) - 1]
    if kind == 1:  # symbol
        symbol = ("symbol", item(refs))
        refs.append(symbol)
        return symbol
    if kind == 9:  # string
        length = integer()
        if length == -1:
            return None
        text = data[pos:pos + length].decode("utf-8", "replace")
        pos += length
        return text
    if kind == 2:  # pairlist: (tag, value) cells
        attributes = item(refs) if has_attributes else None
        tag = item(refs) if has_tag else None
        head = (tag, item(refs))
        rest = item(refs)
        return [head] + (rest or [])
    if kind in (16, 19):  # character vector, list
        values = [item(refs) for _ in range(integer())]
    elif kind in (10, 13):  # logical, integer
        n = integer()
        values = list(struct.unpack(">%di" % n, data[pos:pos + 4 * n]))
        pos += 4 * n
    elif kind == 14:  # double
        n = integer()
        values = list(struct.unpack(">%dd" % n, data[pos:pos + 8 * n]))
        pos += 8 * n
    else:
        raise ValueError("unexpected R type %d" % kind)
    attributes = item(refs) if has_attributes else None
    return (values, attributes)


version = integer()
integer(), integer()
if version == 3:
    length = integer()
    pos += length  # the native encoding's name
[(_, (columns, attributes))] = item([])
names = dict(attributes)[("symbol", "names")][0]
table = dict(zip(names, (values for values, _ in columns)))

product = re.compile(r"^\d{5}[A-Za-z]{0,2}$")
baskets = {}
for invoice, code, quantity, at, price in zip(table["InvoiceNo"], table["StockCode"], table["Quantity"], table["InvoiceDate"], table["UnitPrice"]):
    if invoice.upper().startswith("C") or not product.match(code) or quantity <= 0 or price <= 0:
        continue
    items = baskets.setdefault(invoice, (at, []))[1]
    if code.upper() not in items:
        items.append(code.upper())

with gzip.open(sys.argv[2], "wt", compresslevel=9) as out:
    for invoice in sorted(baskets, key=lambda i: (baskets[i][0], i)):
        at, items = baskets[invoice]
        out.write(datetime.datetime.fromtimestamp(at, datetime.UTC).strftime("%Y-%m-%dT%H:%MZ") + "\t" + ",".join(items) + "\n")

# Run by scripts/check-html-render (was an embedded heredoc); arguments as passed there.
import struct, sys, zlib

def decode(path):
    """Width, height, channels and raw pixel rows of an 8-bit, non-interlaced PNG."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit("check-html-render: %s is not a PNG" % path)
    pos, idat, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(colour)
    if depth != 8 or channels is None or interlace != 0:
        sys.exit("check-html-render: unsupported PNG (depth %d, colour type %d, interlace %d)" % (depth, colour, interlace))
    raw = zlib.decompress(b"".join(idat))
    stride = width * channels
    rows, previous, pos = [], bytearray(stride), 0
    for _ in range(height):
        kind, line = raw[pos], bytearray(raw[pos + 1:pos + 1 + stride])
        pos += 1 + stride
        if kind == 1:
            for i in range(channels, stride):
                line[i] = (line[i] + line[i - channels]) & 255
        elif kind == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, previous))
        elif kind == 3:
            for i in range(stride):
                left = line[i - channels] if i >= channels else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 255
        elif kind == 4:
            for i in range(stride):
                a = line[i - channels] if i >= channels else 0
                b = previous[i]
                c = previous[i - channels] if i >= channels else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        previous = line
    return width, height, channels, rows

width, height, channels, rows = decode(sys.argv[1])
total = ink = vivid = 0
colours = set()
for line in rows[::2]:
    for x in range(0, width, 2):
        px = line[x * channels:(x + 1) * channels]
        r, g, b = (px[0], px[0], px[0]) if channels < 3 else (px[0], px[1], px[2])
        total += 1
        if min(r, g, b) < 235:
            ink += 1
        if max(r, g, b) - min(r, g, b) > 60:
            vivid += 1
        colours.add((r >> 3, g >> 3, b >> 3))
ink_share, vivid_share = ink / total, vivid / total
print("check-html-render: %dx%d, %.1f%% ink, %.1f%% strong colour, %d colours"
      % (width, height, 100 * ink_share, 100 * vivid_share, len(colours)))
problems = []
if ink_share < 0.03:
    problems.append("almost nothing drawn (%.1f%% of pixels not white)" % (100 * ink_share))
if vivid_share < 0.01:
    problems.append("no coloured maps or charts (%.2f%% strongly coloured pixels)" % (100 * vivid_share))
if len(colours) < 16:
    problems.append("only %d distinct colours" % len(colours))
if problems:
    sys.exit("check-html-render: the page looks blank: " + "; ".join(problems))

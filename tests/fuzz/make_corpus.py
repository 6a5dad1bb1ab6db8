#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora (tests/fuzz/corpus/<target>/): a few
tiny valid files per reader, made with the standard library only (struct,
gzip, zipfile) so that they do not depend on xgrad's own writers.
Usage: tests/fuzz/make_corpus.py   (rewrites these files; others in the
corpus directories are left alone)
"""
import gzip
import io
import pathlib
import struct
import zipfile

ROOT = pathlib.Path(__file__).resolve().parent / "corpus"


def npy(descr, shape, data, major=1):
    shape_text = "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"
    d = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (descr, shape_text)
    prefix = 10 if major == 1 else 12
    pad = (64 - (prefix + len(d) + 1) % 64) % 64
    header = (d + " " * pad + "\n").encode("latin1")
    size = struct.pack("<H" if major == 1 else "<I", len(header))
    return b"\x93NUMPY" + bytes([major, 0]) + size + header + data


def npz(entries, compress):
    buf = io.BytesIO()
    method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, data in entries:
            info = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = method
            z.writestr(info, data)
    return buf.getvalue()


def f4(*v):
    return struct.pack("<%df" % len(v), *v)


def f8(*v):
    return struct.pack("<%dd" % len(v), *v)


def write(target, name, data):
    d = ROOT / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data)


def main():
    arrays = {
        "f4_2x3": npy("<f4", (2, 3), f4(0.5, -1, 2, 3, 1e-3, 7)),
        "f8_scalar": npy("<f8", (), f8(0.25)),
        "i2_3": npy("<i2", (3,), struct.pack("<3h", -1, 2, 300)),
        "u1_2x1": npy("|u1", (2, 1), b"\x07\xff"),
        "b1_2": npy("|b1", (2,), b"\x00\x01"),
        "f8_big_endian": npy(">f8", (1,), struct.pack(">d", 1.5)),
        "f4_empty": npy("<f4", (0, 3), b""),
        # int64 decodes since the int64 dtype; the round trip of an empty one
        # aborted fuzz_npy's float-only comparison (tools/fuzz.sh 600, 2026-12-01)
        "i8_empty": npy("<i8", (0, 3), b""),
        "i8_2": npy("<i8", (2,), struct.pack("<2q", -3, 2**62)),
        "f8_v2": npy("<f8", (2,), f8(1, 2), major=2),
        "u8_v3": npy("<u8", (1,), struct.pack("<Q", 2**63), major=3),
    }
    for name, data in arrays.items():
        write("npy", name + ".npy", data)

    # npz: first byte even = an archive for libzip, odd = entries described
    # to read_npz_entries (FuzzedDataProvider bytes).
    two = [("w", arrays["f4_2x3"]), ("model/0.bias", arrays["f8_v2"])]
    write("npz", "stored", b"\x00" + npz(two, False))
    write("npz", "deflated", b"\x00" + npz(two, True))
    write("npz", "empty", b"\x00" + npz([], False))
    write("npz", "entries", b"\x01" + b"w.npy\\\x00" + arrays["f8_scalar"] + b"\x02\x00\x00\x10\x01")

    # csv: first byte options (bit 0 float64, bits 1-3 label column + 4,
    # bit 4 class limit = second byte, bit 5 ';', bit 6 line limit, bit 7
    # label named 'y'); second byte the limit's value.
    write("csv", "basic", b"\x00\x00x1,x2,label\n0.5,1e-3,1\n-2,+4.25,0\n")
    write("csv", "classes", b"\x10\x0ax,y\n1,9\n2,0\n\n3,4\r\n")
    write("csv", "quoted", b"\x81\x00a, \"y\" ,b\r\n1,\"10\",2\r\n3,20,4")
    write("csv", "semicolon", b"\x26\x00a;b;c\n1.5;2;3\n")
    write("csv", "line_limit", b"\x40\x08a,b\n1,2\n1234567,8\n")

    def idx(magic, dims, data):
        return struct.pack(">I", magic) + b"".join(struct.pack(">I", d) for d in dims) + data

    images = idx(0x803, (2, 2, 3), bytes([0, 255, 51, 102, 1, 254, 17, 34, 68, 136, 200, 100]))
    labels = idx(0x801, (3,), bytes([2, 0, 9]))
    write("idx", "images", images)
    write("idx", "labels", labels)
    write("idx", "images.gz", gzip.compress(images, mtime=0))
    write("idx", "labels.gz", gzip.compress(labels, mtime=0))
    # Found by fuzz_idx: no pixels, but (0, 4170841837, 4163027611) images
    # overflowed the array's strides.
    write("idx", "zero_dimension_strides", idx(0x803, (0, 0xF899FEED, 0xF822C29B), b""))

    # checkpoint: first byte even = an .npz file, odd = mutations of a
    # real checkpoint (an Mlp 3-4-2 with the optimiser byte/2 % 5 picks).
    mlp = [("model/0.weight", npy("<f4", (4, 3), f4(*[0.1] * 12))),
           ("model/0.bias", npy("<f4", (4,), f4(0, 0, 0, 0))),
           ("model/2.weight", npy("<f4", (2, 4), f4(*[-0.2] * 8))),
           ("model/2.bias", npy("<f4", (2,), f4(0.5, 0.5)))]
    adam = [("optim/step", npy("<f8", (1,), f8(3)))]
    for p, shape in (("0.weight", (4, 3)), ("0.bias", (4,)), ("2.weight", (2, 4)),
                     ("2.bias", (2,))):
        n = 1
        for d in shape:
            n *= d
        adam.append(("optim/%s.m" % p, npy("<f4", shape, f4(*[0.01] * n))))
        adam.append(("optim/%s.v" % p, npy("<f4", shape, f4(*[0.001] * n))))
    extra = [("norm/mean", npy("<f8", (3,), f8(1, 2, 3))), ("norm/std", npy("<f8", (3,), f8(1, 1, 2))),
             ("meta/epoch", npy("<f8", (1,), f8(3))),
             ("meta/gen/seed", npy("<f8", (2,), f8(0, 42))),
             ("meta/gen/offset", npy("<f8", (2,), f8(0, 7)))]
    write("checkpoint", "adam", b"\x00" + npz(mlp + adam + extra, False))
    write("checkpoint", "adam_deflated", b"\x00" + npz(mlp + adam + extra, True))
    write("checkpoint", "mutations", b"\x01" + bytes(range(0, 256, 3)))


if __name__ == "__main__":
    main()

"""Edit the VBA project of an Office file (``vbaProject.bin``) per [MS-OVBA], in pure Python.

A VBA project is a compound file (see :mod:`addin.excel.cfb`) with a ``VBA`` storage:
``dir`` (the project's records: name, code page, modules and where each module's
source starts in its stream), one stream per module (an optional compiled *p-code*
part followed by the module's source as a *compressed container*, MS-OVBA 2.4.1) and
``_VBA_PROJECT`` (whose version ``0xFFFF`` tells Office the p-code is not for it, so it
recompiles every module from source when the file is opened — MS-OVBA 2.3.4.1: a
writer writes ``0xFFFF`` and no performance cache).

:func:`patch_project` replaces whole module sources: it writes each new source as the
module stream's only content (``MODULEOFFSET`` 0, no p-code), exactly as the stream of
xlwings' own ``xlwings`` module is stored in the quickstart add-in, and may rename the
VBA project. olefile reads the container; :mod:`addin.excel.cfb` writes it back.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

_CHUNK = 4096


# -- compression (MS-OVBA 2.4.1) ---------------------------------------------


def _copy_token_layout(difference: int) -> tuple[int, int]:
    """(bit count of the offset, maximum length) for a copy token at this position."""
    bit_count = max((difference - 1).bit_length(), 4)
    return bit_count, (0xFFFF >> bit_count) + 3


def _compress_chunk(data: bytes) -> bytes:
    out = bytearray()
    pos, end = 0, len(data)
    heads: dict[bytes, list[int]] = {}
    while pos < end:
        flag_index = len(out)
        out.append(0)
        flags = 0
        for bit in range(8):
            if pos >= end:
                break
            best_len, best_off = 0, 0
            if pos >= 1 and pos + 3 <= end:
                # MS-OVBA 2.4.1.3.19.4: the longest match (to the chunk's end), nearest
                # first on ties; then capped to what a copy token here can hold.
                for cand in reversed(heads.get(data[pos:pos + 3], [])):
                    n = 3
                    while pos + n < end and data[cand + n] == data[pos + n]:
                        n += 1
                    if n > best_len:
                        best_len, best_off = n, pos - cand
                best_len = min(best_len, _copy_token_layout(pos)[1])
            if best_len >= 3:
                bit_count, _ = _copy_token_layout(pos)
                token = ((best_off - 1) << (16 - bit_count)) | (best_len - 3)
                out += struct.pack("<H", token)
                flags |= 1 << bit
                step = best_len
            else:
                out.append(data[pos])
                step = 1
            for p in range(pos, pos + step):
                if p + 3 <= end:
                    heads.setdefault(data[p:p + 3], []).append(p)
            pos += step
        out[flag_index] = flags
    return bytes(out)


def compress(data: bytes) -> bytes:
    """A compressed container for ``data`` (signature byte, then 4096-byte chunks)."""
    out = bytearray(b"\x01")
    for start in range(0, len(data), _CHUNK):
        chunk = data[start:start + _CHUNK]
        body = _compress_chunk(chunk)
        if len(body) <= _CHUNK:
            out += struct.pack("<H", 0xB000 | (len(body) + 2 - 3)) + body
        elif len(chunk) == _CHUNK:  # incompressible: a raw chunk
            out += struct.pack("<H", 0x3000 | (_CHUNK + 2 - 3)) + chunk
        else:
            raise ValueError("incompressible final chunk")
    return bytes(out)


def decompress(data: bytes) -> bytes:
    """Inverse of :func:`compress` (oletools' implementation, for one code path)."""
    from oletools.olevba import decompress_stream

    return bytes(decompress_stream(bytearray(data)))


# -- the dir stream (MS-OVBA 2.3.4.2) ------------------------------------------

_PROJECTNAME, _PROJECTCODEPAGE, _PROJECTVERSION = 0x04, 0x03, 0x09
_MODULENAME, _MODULESTREAMNAME, _MODULEOFFSET = 0x19, 0x1A, 0x31
_PROJECTMODULES, _DIR_TERMINATOR = 0x0F, 0x10
#: MODULETYPE record ids: a procedural module; a document, class or designer module.
PROCEDURAL, CLASS = 0x21, 0x22


@dataclass
class Record:
    rid: int
    data: bytes
    raw_size: int | None = None  # PROJECTVERSION: size field says 4, 6 bytes follow

    def encode(self) -> bytes:
        if self.raw_size is not None:
            return struct.pack("<HI", self.rid, self.raw_size) + self.data
        return struct.pack("<HI", self.rid, len(self.data)) + self.data


def parse_dir(data: bytes) -> list[Record]:
    records, i = [], 0
    while i < len(data):
        rid, size = struct.unpack_from("<HI", data, i)
        if rid == _PROJECTVERSION:
            records.append(Record(rid, data[i + 6:i + 12], raw_size=size))
            i += 12
            continue
        records.append(Record(rid, data[i + 6:i + 6 + size]))
        i += 6 + size
    return records


def encode_dir(records: list[Record]) -> bytes:
    return b"".join(r.encode() for r in records)


@dataclass
class Module:
    name: str
    stream: str
    offset: int


def code_page(records: list[Record]) -> str:
    cp = next((struct.unpack("<H", r.data)[0] for r in records if r.rid == _PROJECTCODEPAGE), 1252)
    return f"cp{cp}"


def modules(records: list[Record]) -> list[Module]:
    out, name, stream = [], None, None
    enc = code_page(records)
    for r in records:
        if r.rid == _MODULENAME:
            name = r.data.decode(enc)
        elif r.rid == _MODULESTREAMNAME:
            stream = r.data.decode(enc)
        elif r.rid == _MODULEOFFSET:
            out.append(Module(name, stream, struct.unpack("<I", r.data)[0]))
    return out


def project_name(records: list[Record]) -> str:
    r = next(r for r in records if r.rid == _PROJECTNAME)
    return r.data.decode(code_page(records))


# -- patching -----------------------------------------------------------------


def read_streams(path) -> dict[tuple[str, ...], bytes]:
    """Every stream of a compound file, keyed by its path."""
    import olefile

    with olefile.OleFileIO(path if hasattr(path, "read") else str(path)) as ole:
        return {tuple(p): ole.openstream(p).read() for p in ole.listdir(streams=True, storages=False)}


def module_sources(streams: dict[tuple[str, ...], bytes]) -> dict[str, str]:
    """``{module name: source text}`` of a project's streams."""
    records = parse_dir(decompress(streams[("VBA", "dir")]))
    enc = code_page(records)
    return {m.name: decompress(streams[("VBA", m.stream)][m.offset:]).decode(enc) for m in modules(records)}


def _module_records(name: str, kind: int, enc: str) -> list[Record]:
    """The records of one new module (MS-OVBA 2.3.4.2.3.2): its name, stream name (the
    same), no doc string, source at offset 0 (no p-code), no help context."""
    u16 = name.encode("utf-16-le")
    return [Record(0x19, name.encode(enc)), Record(0x47, u16),
            Record(0x1A, name.encode(enc)), Record(0x32, u16),
            Record(0x1C, b""), Record(0x48, b""),
            Record(_MODULEOFFSET, struct.pack("<I", 0)), Record(0x1E, struct.pack("<I", 0)),
            Record(0x2C, struct.pack("<H", 0xFFFF)), Record(kind, b""), Record(0x2B, b"")]


def _project_stream_add(text: str, name: str, kind: int) -> str:
    """Add ``Module=Name`` / ``Class=Name`` to the PROJECT stream (MS-OVBA 2.3.1.7/.8),
    after the last ProjectModule line."""
    lines = text.split("\r\n")
    last = max(i for i, line in enumerate(lines) if line.split("=", 1)[0] in ("Module", "Class", "Document",
                                                                              "BaseClass", "Package"))
    lines.insert(last + 1, f"{'Module' if kind == PROCEDURAL else 'Class'}={name}")
    return "\r\n".join(lines)


def patch_project(streams: dict[tuple[str, ...], bytes], sources: dict[str, str],
                  new_project_name: str | None = None,
                  new_modules: dict[str, int] | None = None) -> dict[tuple[str, ...], bytes]:
    """Return new streams with the given modules' sources replaced (p-code dropped).

    ``sources`` maps module names to their complete new source (including the
    ``Attribute`` lines, CRLF line ends, only characters of the project's code page).
    ``new_modules`` names modules that do not exist yet, with their kind
    (:data:`PROCEDURAL` or :data:`CLASS`): they are added to the ``dir`` stream, the
    ``PROJECT`` stream and its name map ``PROJECTwm``, each with its own stream.
    """
    out = dict(streams)
    records = parse_dir(decompress(streams[("VBA", "dir")]))
    enc = code_page(records)
    known = {m.name: m for m in modules(records)}
    new_modules = dict(new_modules or {})
    clash = {n for n in new_modules if n.lower() in {k.lower() for k in known}}
    if clash:
        raise KeyError(f"VBA module already exists: {sorted(clash)}")
    if new_modules:
        end = next(i for i, r in enumerate(records) if r.rid == _DIR_TERMINATOR)
        added = [rec for name, kind in new_modules.items() for rec in _module_records(name, kind, enc)]
        records[end:end] = added
        for r in records:
            if r.rid == _PROJECTMODULES:
                r.data = struct.pack("<H", struct.unpack("<H", r.data)[0] + len(new_modules))
        for name in new_modules:
            known[name] = Module(name, name, 0)
        text = out[("PROJECT",)].decode(enc)
        wm = out.get(("PROJECTwm",), b"\x00\x00")
        for name, kind in new_modules.items():
            text = _project_stream_add(text, name, kind)
            wm = wm[:-2] + name.encode(enc) + b"\x00" + name.encode("utf-16-le") + b"\x00\x00" + wm[-2:]
        out[("PROJECT",)] = text.encode(enc)
        out[("PROJECTwm",)] = wm
    unknown = set(sources) - set(known)
    if unknown:
        raise KeyError(f"no such VBA module: {sorted(unknown)}")
    missing = set(new_modules) - set(sources)
    if missing:
        raise KeyError(f"new VBA module without source: {sorted(missing)}")
    current = None
    for r in records:
        if r.rid == _MODULENAME:
            current = r.data.decode(enc)
        elif r.rid == _MODULEOFFSET and current in sources:
            r.data = struct.pack("<I", 0)
        elif r.rid == _PROJECTNAME and new_project_name:
            r.data = new_project_name.encode(enc)
    for name, text in sources.items():
        out[("VBA", known[name].stream)] = compress(text.replace("\r\n", "\n").replace("\n", "\r\n").encode(enc))
    out[("VBA", "dir")] = compress(encode_dir(records))
    # MS-OVBA 2.3.4.1: version 0xFFFF, no performance cache → Office recompiles from source.
    out[("VBA", "_VBA_PROJECT")] = struct.pack("<HHBH", 0x61CC, 0xFFFF, 0x00, 0x0001)
    if new_project_name and ("PROJECT",) in out:
        text = out[("PROJECT",)].decode(enc)
        old = project_name(parse_dir(decompress(streams[("VBA", "dir")])))
        out[("PROJECT",)] = text.replace(f'Name="{old}"', f'Name="{new_project_name}"').encode(enc)
    return out

"""Write a compound file ([MS-CFB] version 3) from a set of streams — the container of
``vbaProject.bin``.

olefile reads compound files but can only overwrite a stream with one of the same
size; a patched VBA module is longer, so the container is written anew. This writer
does the simple, fully specified thing: 512-byte sectors; streams under 4096 bytes in
the mini stream (64-byte sectors); each storage's children in a balanced binary search
tree ordered as MS-CFB 2.6.4 requires (by name length, then upper-cased name), coloured
so that it is a valid red-black tree; FAT sectors listed in the header (up to 109, i.e.
files up to ~7 MB — a VBA project is ~50 KB). :func:`write` checks its output by
reading every stream back with olefile.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

SECTOR, MINI_SECTOR, MINI_CUTOFF = 512, 64, 4096
FREESECT, ENDOFCHAIN, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
_STORAGE, _STREAM, _ROOT = 1, 2, 5
_RED, _BLACK = 0, 1


@dataclass
class _Entry:
    name: str
    kind: int
    data: bytes = b""
    clsid: bytes = b"\x00" * 16
    children: list["_Entry"] = field(default_factory=list)
    index: int = 0
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    color: int = _BLACK
    start: int = ENDOFCHAIN


def _key(e: _Entry):
    return (len(e.name), e.name.upper())


def _tree(nodes: list[_Entry]) -> int:
    """Link sorted siblings into a balanced BST; return the root's index. Nodes on the
    deepest, incomplete level are red, all others black (a valid red-black tree)."""
    depth: dict[int, int] = {}

    def build(items: list[_Entry], d: int) -> int:
        if not items:
            return NOSTREAM
        mid = len(items) // 2
        node = items[mid]
        depth[id(node)] = d
        node.left = build(items[:mid], d + 1)
        node.right = build(items[mid + 1:], d + 1)
        return node.index

    root = build(nodes, 0)
    if nodes:
        deepest = max(depth.values())
        full = len(nodes) == 2 ** (deepest + 1) - 1
        for n in nodes:
            n.color = _RED if (depth[id(n)] == deepest and not full and deepest > 0) else _BLACK
    return root


def _chain(fat: list[int], start: int, count: int) -> None:
    for i in range(count):
        fat[start + i] = start + i + 1 if i < count - 1 else ENDOFCHAIN


def build(streams: dict[tuple[str, ...], bytes], root_clsid: bytes = b"\x00" * 16,
          clsids: dict[tuple[str, ...], bytes] | None = None) -> bytes:
    """The bytes of a compound file holding ``streams`` (paths of storage names + stream name)."""
    clsids = clsids or {}
    root = _Entry("Root Entry", _ROOT, clsid=root_clsid)
    storages: dict[tuple[str, ...], _Entry] = {(): root}
    for path in sorted(streams):
        for i in range(1, len(path)):
            sub = path[:i]
            if sub not in storages:
                st = _Entry(path[i - 1], _STORAGE, clsid=clsids.get(sub, b"\x00" * 16))
                storages[path[:i - 1]].children.append(st)
                storages[sub] = st
        storages[path[:-1]].children.append(_Entry(path[-1], _STREAM, data=streams[path]))
    for e in [root] + [x for s in storages.values() for x in s.children]:
        if len(e.name) > 31:
            raise ValueError(f"compound file name too long: {e.name}")
    # Directory order: breadth-first from the root.
    entries: list[_Entry] = [root]
    queue = [root]
    while queue:
        parent = queue.pop(0)
        kids = sorted(parent.children, key=_key)
        for k in kids:
            k.index = len(entries)
            entries.append(k)
        parent.child = _tree(kids)
        queue.extend(k for k in kids if k.kind == _STORAGE)

    # Mini stream: small streams, each padded to 64 bytes.
    mini = bytearray()
    minifat: list[int] = []
    for e in entries:
        if e.kind == _STREAM and 0 < len(e.data) < MINI_CUTOFF:
            n = -(-len(e.data) // MINI_SECTOR)
            e.start = len(minifat)
            minifat.extend([0] * n)
            _chain(minifat, e.start, n)
            mini += e.data + b"\x00" * (n * MINI_SECTOR - len(e.data))
        elif e.kind == _STREAM and not e.data:
            e.start = ENDOFCHAIN
    # Regular sectors: big streams, mini stream, mini FAT, directory, then the FAT itself.
    blobs: list[tuple[str, bytes]] = []
    for e in entries:
        if e.kind == _STREAM and len(e.data) >= MINI_CUTOFF:
            blobs.append((f"s{e.index}", e.data))
    if mini:
        blobs.append(("mini", bytes(mini)))
    if minifat:
        mf = minifat + [FREESECT] * (-len(minifat) % (SECTOR // 4))
        blobs.append(("minifat", struct.pack(f"<{len(mf)}I", *mf)))
    n_dir = -(-len(entries) // (SECTOR // 128))
    blobs.append(("dir", b""))  # placeholder: directory written last, its size is known
    sizes = [(-(-len(b) // SECTOR) if name != "dir" else n_dir) for name, b in blobs]
    data_sectors = sum(sizes)
    n_fat = 1
    while n_fat * (SECTOR // 4) < data_sectors + n_fat:
        n_fat += 1
    if n_fat > 109:
        raise ValueError("compound file too large for this writer")
    fat = [FREESECT] * (n_fat * (SECTOR // 4))
    starts: dict[str, int] = {}
    pos = 0
    for (name, _), n in zip(blobs, sizes):
        starts[name] = pos
        _chain(fat, pos, n)
        pos += n
    fat_start = pos
    for i in range(n_fat):
        fat[fat_start + i] = FATSECT
    for e in entries:
        if e.kind == _STREAM and len(e.data) >= MINI_CUTOFF:
            e.start = starts[f"s{e.index}"]
    root.start = starts.get("mini", ENDOFCHAIN)

    def dir_entry(e: _Entry) -> bytes:
        name = e.name.encode("utf-16-le") + b"\x00\x00"
        size = len(mini) if e.kind == _ROOT else len(e.data) if e.kind == _STREAM else 0
        start = e.start if e.kind != _STORAGE else 0
        return (name.ljust(64, b"\x00") + struct.pack("<HBBIII", len(name), e.kind, e.color, e.left, e.right,
                                                      e.child)
                + e.clsid + struct.pack("<IQQIQ", 0, 0, 0, start, size))

    directory = b"".join(dir_entry(e) for e in entries)
    empty = b"\x00" * 64 + struct.pack("<HBBIII", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM) + b"\x00" * 48
    directory += empty * (n_dir * (SECTOR // 128) - len(entries))

    difat = list(range(fat_start, fat_start + n_fat)) + [FREESECT] * (109 - n_fat)
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16
              + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6) + b"\x00" * 6
              + struct.pack("<IIIIIIIII", 0, n_fat, starts["dir"], 0, MINI_CUTOFF,
                            starts.get("minifat", ENDOFCHAIN), len(minifat) and -(-len(minifat) // 128),
                            ENDOFCHAIN, 0)
              + struct.pack("<109I", *difat))
    assert len(header) == SECTOR
    body = bytearray()
    for name, b in blobs:
        b = directory if name == "dir" else b
        body += b + b"\x00" * (-len(b) % SECTOR)
    body += struct.pack(f"<{len(fat)}I", *fat)
    return header + bytes(body)


def write(path, streams: dict[tuple[str, ...], bytes], root_clsid: bytes = b"\x00" * 16,
          clsids: dict[tuple[str, ...], bytes] | None = None) -> None:
    """Write ``streams`` as a compound file and verify it by reading every stream back."""
    import io

    import olefile

    data = build(streams, root_clsid, clsids)
    with olefile.OleFileIO(io.BytesIO(data)) as ole:
        got = {tuple(p): ole.openstream(p).read() for p in ole.listdir(streams=True, storages=False)}
    if got != streams:
        raise AssertionError("compound file writer: read-back differs from the input")
    with open(path, "wb") as f:
        f.write(data)

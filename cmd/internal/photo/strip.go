package photo

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
)

// Strip returns a copy of a JPEG, PNG or GIF file without the metadata a
// camera or an editor leaves in it, which may say where and with what a
// photo was taken and by whom: the copy decodes to the same pixels, since
// everything that makes the picture is copied byte for byte.
//
// From a JPEG it drops every APPn segment except APP0 "JFIF" (whose
// thumbnail, if any, goes), APP2 "ICC_PROFILE" (the colour profile) and
// APP14 "Adobe" (needed to read CMYK and YCCK colour) and the APP11 JUMBF
// segments of a C2PA manifest store (Content Credentials: see c2paSegments),
// so Exif with its GPS position and serial numbers, XMP, Photoshop/IPTC,
// APP12, other APP11 boxes and the rest go,
// and every COM segment and anything after EOI (such as the second images
// of a multi-picture file). From a PNG it drops eXIf, tEXt, zTXt, iTXt and
// tIME, every ancillary chunk it does not know to describe the picture, and
// anything after IEND, but keeps a caBX chunk (the C2PA manifest store); it keeps the critical chunks and the ones that bear
// on colour, transparency, pixel size and animation. From a GIF it drops the
// comment extensions and every application extension except the looping
// one (NETSCAPE2.0 or ANIMEXTS1.0), so XMP goes.
//
// A file it cannot follow to its end is an error rather than a copy with
// metadata left in: a segment or chunk running past the end, a JPEG marker
// it does not know, a PNG chunk with a bad checksum, no EOI, IEND or
// trailer. Other formats are refused with
// ErrUnsupported.
func Strip(data []byte) ([]byte, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8}):
		return stripJPEG(data)
	case bytes.HasPrefix(data, pngSignature):
		return stripPNG(data)
	case bytes.HasPrefix(data, []byte("GIF87a")), bytes.HasPrefix(data, []byte("GIF89a")):
		return stripGIF(data)
	}
	return nil, ErrUnsupported
}

var errCutShort = errors.New("the file is cut short")

// stripJPEG copies the markers and entropy-coded data of a JPEG file from
// SOI to EOI, leaving out the metadata segments.
func stripJPEG(b []byte) ([]byte, error) {
	out := make([]byte, 0, len(b))
	out = append(out, 0xFF, 0xD8)
	var c2pa c2paBoxes
	i := 2
	for {
		// A marker: 0xFF, perhaps more 0xFF fill bytes, and the code.
		if i >= len(b) {
			return nil, errCutShort
		}
		if b[i] != 0xFF {
			return nil, fmt.Errorf("no marker at byte %d", i)
		}
		for i < len(b) && b[i] == 0xFF {
			i++
		}
		if i >= len(b) {
			return nil, errCutShort
		}
		m := b[i]
		i++
		switch {
		case m == 0xD9: // EOI: anything after it is not part of the picture
			return append(out, 0xFF, 0xD9), nil
		case m == 0x01 || m >= 0xD0 && m <= 0xD7: // TEM, RSTn: no segment
			out = append(out, 0xFF, m)
			continue
		case m == 0x00 || m == 0xD8 || m < 0xC0:
			return nil, fmt.Errorf("unexpected marker 0x%02X at byte %d", m, i-2)
		}
		if i+2 > len(b) {
			return nil, errCutShort
		}
		n := int(b[i])<<8 | int(b[i+1]) // the length counts its own two bytes
		if n < 2 {
			return nil, fmt.Errorf("segment 0x%02X at byte %d has a length of %d", m, i-2, n)
		}
		if n > len(b)-i {
			return nil, errCutShort
		}
		seg := b[i-2 : i+n] // marker, length and payload
		payload := b[i+2 : i+n]
		i += n
		switch {
		case m == 0xE0:
			if bytes.HasPrefix(payload, []byte("JFIF\x00")) && len(payload) >= 14 {
				// Keep the header; the thumbnail, if any, goes.
				out = append(out, 0xFF, 0xE0, 0, 16)
				out = append(out, payload[:12]...)
				out = append(out, 0, 0)
			}
		case m == 0xE2:
			if bytes.HasPrefix(payload, []byte("ICC_PROFILE\x00")) {
				out = append(out, seg...)
			}
		case m == 0xEE:
			if bytes.HasPrefix(payload, []byte("Adobe")) {
				out = append(out, seg...)
			}
		case m == 0xEB:
			if c2pa.keep(payload) {
				out = append(out, seg...)
			}
		case m >= 0xE0 && m <= 0xEF, m == 0xFE: // APPn, COM
		default:
			out = append(out, seg...)
		}
		if m != 0xDA {
			continue
		}
		// After SOS, the entropy-coded data runs to the next marker that
		// is not a stuffed 0xFF 0x00 or a restart marker.
		start := i
		for {
			k := bytes.IndexByte(b[i:], 0xFF)
			if k < 0 {
				return nil, errCutShort
			}
			i += k
			j := i + 1
			for j < len(b) && b[j] == 0xFF {
				j++
			}
			if j >= len(b) {
				return nil, errCutShort
			}
			if b[j] == 0x00 || b[j] >= 0xD0 && b[j] <= 0xD7 {
				i = j + 1
				continue
			}
			break
		}
		out = append(out, b[start:i]...)
	}
}

// c2paBoxes tells the APP11 segments of a JPEG that carry a C2PA manifest
// store (Content Credentials: who made and edited a photo, signed), which
// Strip keeps, from other APP11 segments, which it drops. The store is a
// JUMBF superbox cut into APP11 segments (ISO/IEC 19566-5, C2PA 2.1 §A.3):
// each payload is "JP", a 2-byte box instance number En, a 4-byte packet
// sequence number Z (from 1) and a piece of the box, which in every packet
// begins with the superbox's LBox and TBox "jumb"; the first packet then
// holds the description box "jumd", whose type UUID begins with "c2pa" and
// whose label is "c2pa". The later packets of a kept box are kept by En.
type c2paBoxes map[uint16]bool

func (c *c2paBoxes) keep(p []byte) bool {
	if len(p) < 16 || string(p[:2]) != "JP" || string(p[12:16]) != "jumb" {
		return false
	}
	en := binary.BigEndian.Uint16(p[2:])
	if z := binary.BigEndian.Uint32(p[4:]); z != 1 {
		return (*c)[en]
	}
	// The description box: LBox, "jumd", the 16-byte type, a toggles
	// byte, then (toggle bit 1) a NUL-terminated label.
	d := p[16:]
	if len(d) < 25 || string(d[4:8]) != "jumd" {
		return false
	}
	label := d[25:]
	if k := bytes.IndexByte(label, 0); k >= 0 && d[24]&0x02 != 0 {
		label = label[:k]
	} else {
		label = nil
	}
	if string(d[8:12]) != "c2pa" && string(label) != "c2pa" {
		return false
	}
	if *c == nil {
		*c = c2paBoxes{}
	}
	(*c)[en] = true
	return true
}

var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// pngKeep lists the ancillary PNG chunks that bear on how the picture looks
// (colour, transparency, pixel size, animation); the others go.
var pngKeep = map[string]bool{
	"tRNS": true, "gAMA": true, "cHRM": true, "sRGB": true, "iCCP": true,
	"cICP": true, "mDCv": true, "cLLi": true, "sBIT": true, "bKGD": true,
	"hIST": true, "pHYs": true, "sPLT": true,
	"acTL": true, "fcTL": true, "fdAT": true,
	"caBX": true, // C2PA Content Credentials: provenance, not location
}

// stripPNG copies the chunks of a PNG file from the signature to IEND,
// leaving out the ancillary chunks that are not in pngKeep.
func stripPNG(b []byte) ([]byte, error) {
	out := make([]byte, 0, len(b))
	out = append(out, pngSignature...)
	i := len(pngSignature)
	for {
		if i+8 > len(b) {
			return nil, errCutShort
		}
		n := binary.BigEndian.Uint32(b[i:])
		if n > 1<<31-1 || uint64(n)+12 > uint64(len(b)-i) {
			return nil, errCutShort
		}
		chunk := b[i : i+12+int(n)]
		typ := string(chunk[4:8])
		if crc32.ChecksumIEEE(chunk[4:8+n]) != binary.BigEndian.Uint32(chunk[8+n:]) {
			return nil, fmt.Errorf("chunk %q at byte %d has a bad checksum", typ, i)
		}
		i += len(chunk)
		critical := typ[0]&0x20 == 0 // an upper-case first letter
		if critical || pngKeep[typ] {
			out = append(out, chunk...)
		}
		if typ == "IEND" {
			return out, nil
		}
	}
}

// stripGIF copies the blocks of a GIF file from the header to the trailer,
// leaving out comment extensions and application extensions other than the
// looping one.
func stripGIF(b []byte) ([]byte, error) {
	const header = 6 + 7 // signature and version, logical screen descriptor
	if len(b) < header {
		return nil, errCutShort
	}
	i := header
	if flags := b[10]; flags&0x80 != 0 {
		i += 3 << (flags&7 + 1) // global colour table
	}
	if i > len(b) {
		return nil, errCutShort
	}
	out := make([]byte, 0, len(b))
	out = append(out, b[:i]...)
	for {
		if i >= len(b) {
			return nil, errCutShort
		}
		start := i
		switch b[i] {
		case 0x3B: // trailer
			return append(out, 0x3B), nil
		case 0x21: // extension: label, then sub-blocks
			if i+2 > len(b) {
				return nil, errCutShort
			}
			label := b[i+1]
			end, err := gifSubBlocks(b, i+2)
			if err != nil {
				return nil, err
			}
			i = end
			switch label {
			case 0xFE: // comment
				continue
			case 0xFF: // application: keep only looping
				id := b[start+2:]
				if len(id) < 12 || id[0] != 11 ||
					string(id[1:12]) != "NETSCAPE2.0" && string(id[1:12]) != "ANIMEXTS1.0" {
					continue
				}
			}
			out = append(out, b[start:i]...)
		case 0x2C: // image descriptor, local colour table, LZW code size, data
			i += 10
			if i > len(b) {
				return nil, errCutShort
			}
			if flags := b[i-1]; flags&0x80 != 0 {
				i += 3 << (flags&7 + 1)
			}
			i++ // LZW minimum code size
			if i > len(b) {
				return nil, errCutShort
			}
			end, err := gifSubBlocks(b, i)
			if err != nil {
				return nil, err
			}
			i = end
			out = append(out, b[start:i]...)
		default:
			return nil, fmt.Errorf("unexpected block 0x%02X at byte %d", b[i], i)
		}
	}
}

// gifSubBlocks returns the offset just past the sub-blocks starting at i,
// ended by a block of length 0.
func gifSubBlocks(b []byte, i int) (int, error) {
	for {
		if i >= len(b) {
			return 0, errCutShort
		}
		n := int(b[i])
		i++
		if n == 0 {
			return i, nil
		}
		i += n
	}
}

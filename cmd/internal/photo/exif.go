package photo

import "encoding/binary"

// Orientation reports the EXIF orientation of a JPEG file: 1 (upright) to 8,
// as the camera recorded it in the Orientation tag (0x0112) of IFD0 in the
// APP1 "Exif" segment. It reports 1 when the data is not a JPEG, has no Exif
// segment or no Orientation tag, or when anything it reads is out of range or
// cut short. It reads only the markers before the image data and never
// allocates.
//
// The values, with what the stored image needs to be shown upright:
//
//	1 nothing               5 transpose (mirror across the main diagonal)
//	2 mirror left-right     6 rotate 90° clockwise
//	3 rotate 180°           7 transverse (mirror across the other diagonal)
//	4 mirror top-bottom     8 rotate 90° counter-clockwise
//
// Values 5 to 8 swap the width and the height.
func Orientation(jpeg []byte) int {
	b := jpeg
	if len(b) < 4 || b[0] != 0xFF || b[1] != 0xD8 {
		return 1
	}
	i := 2
	for i+2 <= len(b) {
		if b[i] != 0xFF {
			return 1 // not a marker where one must be
		}
		m := b[i+1]
		if m == 0xFF { // a fill byte before the marker
			i++
			continue
		}
		i += 2
		switch {
		case m == 0x01 || m == 0xD8 || m >= 0xD0 && m <= 0xD7:
			continue // markers without a segment
		case m == 0xD9 || m == 0xDA:
			return 1 // end of image, or image data: no Exif before it
		}
		if i+2 > len(b) {
			return 1
		}
		n := int(b[i])<<8 | int(b[i+1]) // the length counts its own two bytes
		if n < 2 || n > len(b)-i {
			return 1
		}
		seg := b[i+2 : i+n]
		if m == 0xE1 && len(seg) >= 6 && string(seg[:6]) == "Exif\x00\x00" {
			return tiffOrientation(seg[6:]) // the first Exif segment decides
		}
		i += n
	}
	return 1
}

// tiffOrientation reads the Orientation tag of IFD0 in a TIFF structure
// (the body of an Exif segment), 1 when it is absent or invalid.
func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return 1
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 1
	}
	if bo.Uint16(t[2:]) != 42 {
		return 1
	}
	off := uint64(bo.Uint32(t[4:]))
	if off < 8 || off+2 > uint64(len(t)) {
		return 1
	}
	count := int(bo.Uint16(t[off:]))
	p := int(off) + 2
	for k := 0; k < count; k++ {
		e := p + 12*k // tag(2) type(2) count(4) value-or-offset(4)
		if e+12 > len(t) {
			return 1
		}
		if bo.Uint16(t[e:]) != 0x0112 {
			continue
		}
		// The tag is one SHORT (type 3), stored at the start of the value field.
		if bo.Uint16(t[e+2:]) != 3 || bo.Uint32(t[e+4:]) != 1 {
			return 1
		}
		if v := int(bo.Uint16(t[e+8:])); v >= 1 && v <= 8 {
			return v
		}
		return 1
	}
	return 1
}

package cryptolens

// The row decoders, one per row type, are generated from internal/logschema
// into rowdecode_gen.go. Each matches keys by exact spelling
// first (one switch, no allocation), then case-insensitively, and skips any
// key it does not know.

// fieldName names the field a decoder failed in: the struct's JSON name for
// a known key, else the key as sent.
func fieldName(f int, k []byte, names []string) string {
	if f >= 0 {
		return names[f]
	}
	return string(k)
}

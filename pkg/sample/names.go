package sample

import (
	"math"
	"math/rand/v2"
	"strconv"
)

// This file holds the name tables and the small random helpers the
// generator draws from. Every draw goes through one *rand.Rand seeded from
// Options.Seed, so the same options give the same account.

var firstNames = []string{
	"anna", "erik", "maria", "johan", "lena", "lars", "sara", "mikael", "emma", "oskar",
	"sofia", "david", "julia", "peter", "laura", "thomas", "elena", "marco", "chen", "yuki",
	"priya", "ahmed", "fatima", "lucas", "olivia", "noah", "mia", "liam", "ines", "pablo",
	"hannah", "felix", "clara", "jonas", "nora", "viktor", "amelie", "kenji", "aisha", "ravi",
}

var lastNames = []string{
	"lindqvist", "berg", "novak", "schmidt", "rossi", "tanaka", "patel", "khan", "garcia", "smith",
	"johnson", "dubois", "muller", "jansen", "virtanen", "nilsson", "kowalski", "haugen", "silva", "okafor",
	"larsen", "fischer", "moreau", "bianchi", "sato", "singh", "ali", "lopez", "brown", "wilson",
}

var companyStems = []string{
	"Nordvik", "Bluefjord", "Aurora", "Kestrel", "Hallberg", "Vantage", "Meridian", "Brightline",
	"Coastal", "Granite", "Polaris", "Juniper", "Redwood", "Silverton", "Tidewater", "Alder",
	"Beacon", "Cobalt", "Drake", "Ember", "Fenwick", "Harbor", "Ironwood", "Lumen", "Marlow",
	"Northgate", "Oakridge", "Pinecrest", "Quarry", "Riverside", "Saltmarsh", "Thornbury",
}

var companyWords = []string{
	"Systems", "Labs", "Engineering", "Media", "Analytics", "Studio", "Design", "Robotics",
	"Architects", "Consulting", "Imaging", "Works",
}

// region is where a customer sits: legal suffix, web domain ending, time
// zone, purchase currency and the first octets its IP addresses use.
type region struct {
	suffix   string
	tld      string
	tz       int64 // seconds east of UTC
	currency string
	octets   []int
}

var regions = []region{
	{"AB", "se", 3600, "SEK", []int{85, 90, 213, 81}},
	{"GmbH", "de", 3600, "EUR", []int{84, 87, 91, 93}},
	{"Ltd", "co.uk", 0, "USD", []int{81, 86, 109, 151}},
	{"Inc", "com", -5 * 3600, "USD", []int{24, 66, 98, 173}},
	{"LLC", "com", -8 * 3600, "USD", []int{50, 73, 104, 172}},
	{"BV", "nl", 3600, "EUR", []int{77, 82, 145, 217}},
	{"Oy", "fi", 2 * 3600, "EUR", []int{88, 91, 194, 62}},
	{"K.K.", "jp", 9 * 3600, "USD", []int{110, 126, 133, 153}},
}

// regionWeights makes European customers the most common, as for a
// typical Cryptolens vendor.
var regionWeights = []float64{0.22, 0.18, 0.12, 0.16, 0.10, 0.10, 0.06, 0.06}

// osMetadata is the JSON text of the OS statistics events.
var osMetadata = []string{
	`{"OS":"Windows 11","Arch":"x64"}`,
	`{"OS":"Windows 10","Arch":"x64"}`,
	`{"OS":"macOS 15","Arch":"arm64"}`,
	`{"OS":"macOS 14","Arch":"x64"}`,
	`{"OS":"Ubuntu 24.04","Arch":"x64"}`,
	`{"OS":"Windows Server 2022","Arch":"x64"}`,
}

var osWeights = []float64{0.42, 0.2, 0.14, 0.06, 0.1, 0.08}

// pick returns an index drawn with the given weights (which need not sum
// to 1).
func pick(r *rand.Rand, weights []float64) int {
	total := 0.0
	for _, w := range weights {
		total += w
	}
	u := r.Float64() * total
	for i, w := range weights {
		if u < w {
			return i
		}
		u -= w
	}
	return len(weights) - 1
}

// expSeconds draws an exponential waiting time with the given mean.
func expSeconds(r *rand.Rand, mean float64) float64 {
	return -math.Log(1-r.Float64()) * mean
}

// logNormal draws a positive factor with median 1 and the given spread.
func logNormal(r *rand.Rand, sigma float64) float64 {
	return math.Exp(r.NormFloat64() * sigma)
}

// newKey draws a Cryptolens-style key, ABCDE-FGHIJ-KLMNO-PQRST.
func newKey(r *rand.Rand) string {
	var b [23]byte
	for i := range b {
		if i%6 == 5 {
			b[i] = '-'
			continue
		}
		b[i] = byte('A' + r.IntN(26))
	}
	return string(b[:])
}

// newMachineCode draws a 64-digit lowercase hex machine code, the shape of
// the SHA-256 codes the SDKs compute.
func newMachineCode(r *rand.Rand) string {
	const hex = "0123456789abcdef"
	var b [64]byte
	for i := 0; i < len(b); i += 16 {
		v := r.Uint64()
		for j := range 16 {
			b[i+j] = hex[v&15]
			v >>= 4
		}
	}
	return string(b[:])
}

// newIP draws an anonymized IPv4 address (last octet 0) in the region.
func newIP(r *rand.Rand, g region) string {
	first := g.octets[r.IntN(len(g.octets))]
	return strconv.Itoa(first) + "." + strconv.Itoa(r.IntN(256)) + "." +
		strconv.Itoa(r.IntN(256)) + ".0"
}

// companyName names customer i: unique for the first few hundred, then
// numbered.
func companyName(i int, g region) (name, domain string) {
	stem := companyStems[i%len(companyStems)]
	word := companyWords[(i/len(companyStems))%len(companyWords)]
	name = stem + " " + word
	domain = lower(stem) + lower(word)
	if n := i / (len(companyStems) * len(companyWords)); n > 0 {
		name += " " + strconv.Itoa(n+1)
		domain += strconv.Itoa(n + 1)
	}
	return name + " " + g.suffix, domain + "." + g.tld
}

// friendlyName draws the label a device shows: an e-mail address, a user
// name, a host name or a laptop name.
func friendlyName(r *rand.Rand, domain string) string {
	first := firstNames[r.IntN(len(firstNames))]
	last := lastNames[r.IntN(len(lastNames))]
	switch u := r.Float64(); {
	case u < 0.5:
		return first + "." + last + "@" + domain
	case u < 0.7:
		return first[:1] + last
	case u < 0.85:
		const alnum = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
		b := []byte("DESKTOP-")
		for range 7 {
			b = append(b, alnum[r.IntN(len(alnum))])
		}
		return string(b)
	default:
		return upperFirst(first) + "'s MacBook Pro"
	}
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func upperFirst(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

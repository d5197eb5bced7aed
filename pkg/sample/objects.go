package sample

import (
	"cmp"
	"encoding/json"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
)

// The Object Log's people: performedByUserId values and their shares.
// OwnerUserID owns every object; the others are team members (31244,
// 31245) and a reseller (40211).
const OwnerUserID = 24817

var objectUsers = []string{"24817", "31244", "31245", "40211"}
var objectUserWeights = []float64{0.45, 0.3, 0.15, 0.1}

// objectCount returns how many Object Log rows go with rows Web API rows.
func objectCount(rows int) int { return min(max(rows/40, 200), 20_000) }

// Object ids: licenses, customers and data objects each have their own
// range, so affectedObjectId tells them apart.
const (
	licenseIDBase  = 310_000
	customerIDBase = 52_000
)

// objectEntry is an Object Log row before it gets its id.
type objectEntry = cryptolens.ObjectLogEntry

// buildObjects fills Account.Objects: the last objectDays days of changes
// made in the dashboard by the account's users, in the vendor's office
// hours, plus an Added entry for every key created in that time.
func (g *generator) buildObjects() {
	r := rngFor(g.opt.Seed, 3)
	n := objectCount(g.opt.WebAPIRows)
	from := g.end - objectDays*86400
	mean := float64(objectDays*86400) / (float64(n) / meanActivity)
	var out []objectEntry
	for t := from; ; {
		t += int64(expSeconds(r, mean)) + 1
		if t > g.end {
			break
		}
		if r.Float64() < activity(t+3600) {
			if e := g.objectChange(r, t); !g.inOutage(t) && !g.blursStory(e) {
				out = append(out, e)
			}
		}
	}
	out = append(out, g.plantedObjects()...)
	for i, l := range g.lics {
		if l.created >= from {
			at := l.created + 1 + r.Int64N(5)
			if g.inOutage(at) {
				at += g.outageFrom + 86400 - l.created // added once the dashboard was back
			}
			out = append(out, objectEntry{Created: at,
				ResourceType: cryptolens.ResourceLicenseKey, ResourceAction: cryptolens.ActionAdded,
				AffectedObjectID: licenseIDBase + int64(i), Data: keyJSON(i, l)})
		}
	}
	slices.SortStableFunc(out, func(x, y objectEntry) int { return cmp.Compare(x.Created, y.Created) })
	id := 880_000 + r.Int64N(50_000)
	for i := range out {
		id += 1 + r.Int64N(12)
		out[i].ID = id
		out[i].ObjectOwnerUserID = OwnerUserID
		if out[i].PerformedByUserID == "" {
			out[i].PerformedByUserID = objectUsers[0]
		}
	}
	g.acc.Objects = out
	g.notePlantedIDs()
}

// objectChange draws one change made at t.
func (g *generator) objectChange(r *rand.Rand, t int64) objectEntry {
	li := r.IntN(len(g.lics))
	l := g.lics[li]
	e := objectEntry{Created: t, PerformedByUserID: objectUsers[pick(r, objectUserWeights)],
		ResourceType: cryptolens.ResourceLicenseKey, ResourceAction: cryptolens.ActionUpdated,
		AffectedObjectID: licenseIDBase + int64(li)}
	switch k := pick(r, []float64{0.5, 0.04, 0.1, 0.07, 0.02, 0.05, 0.12, 0.03, 0.07}); k {
	case 0:
		e.Data = licenseUpdate(r, l, t)
	case 1:
		e.ResourceAction, e.Data = cryptolens.ActionDeleted, keyJSON(li, l)
	case 2, 3, 4:
		ci := r.IntN(len(g.customers))
		e.ResourceType, e.AffectedObjectID = cryptolens.ResourceCustomer, customerIDBase+int64(ci)
		e.ResourceAction = []cryptolens.ResourceAction{cryptolens.ActionAdded,
			cryptolens.ActionUpdated, cryptolens.ActionDeleted}[k-2]
		e.Data = customerJSON(ci, g.customers[ci], t)
		if k == 3 {
			e.Data = mustJSON(map[string][2]any{"Email": {"info@" + g.customers[ci].domain,
				"billing@" + g.customers[ci].domain}})
		}
	case 5:
		e.ResourceType, e.ResourceAction, e.AffectedObjectID = cryptolens.ResourceDataObject,
			cryptolens.ActionAdded, l.doID
		e.Data = mustJSON(dataObject{ID: l.doID, Name: "credits", ReferencerID: licenseIDBase + int64(li)})
	case 6:
		old := int64(r.IntN(5000))
		e.ResourceType, e.AffectedObjectID = cryptolens.ResourceDataObject, l.doID
		e.Data = mustJSON(map[string][2]any{"IntValue": {old, old + 1 + int64(r.IntN(200))}})
	case 7:
		e.ResourceType, e.AffectedObjectID = cryptolens.ResourceProduct, int64(l.ProductID)
		e.Data = mustJSON(map[string][2]any{"F" + strconv.Itoa(1+r.IntN(8)) + "Name": {"", "Premium"}})
	default:
		e.ResourceType, e.ResourceAction = cryptolens.ResourceLicenseIssuance, cryptolens.ActionAdded
		e.Data = mustJSON(map[string]any{"LicenseKeyId": licenseIDBase + int64(li),
			"Email": "orders@" + l.cust.domain, "Quantity": 1})
	}
	return e
}

// licenseUpdate draws the [old, new] pairs of an update to a license key.
func licenseUpdate(r *rand.Rand, l *lic, t int64) string {
	ch := map[string][2]any{}
	for range 1 + r.IntN(2) {
		switch r.IntN(6) {
		case 0:
			d := unixUTC(t).AddDate(0, 1, 0)
			ch["ExpirationDate"] = [2]any{day(d), day(d.AddDate(1, 0, 0))}
		case 1:
			m := l.MaxNoOfMachines
			ch["MaxNoOfMachines"] = [2]any{m, m + 1 + r.IntN(3)}
		case 2:
			ch["Block"] = [2]any{false, true}
		case 3:
			ch["Notes"] = [2]any{"", "Invoice " + strconv.Itoa(1000+r.IntN(9000))}
		case 4:
			ch["F"+strconv.Itoa(1+r.IntN(8))] = [2]any{false, true}
		default:
			ch["Period"] = [2]any{365, 730}
		}
	}
	return mustJSON(ch)
}

// licenseKey is the copy of a key an Added entry carries.
type licenseKey struct {
	ID                   int64  `json:"ID"`
	Key                  string `json:"Key"`
	ProductID            int    `json:"ProductId"`
	Created              string `json:"Created"`
	Expires              string `json:"Expires"`
	Period               int    `json:"Period"`
	MaxNoOfMachines      int    `json:"MaxNoOfMachines"`
	FloatingTimeInterval int64  `json:"FloatingTimeInterval"`
	Block                bool   `json:"Block"`
	Customer             string `json:"Customer"`
}

type customerObject struct {
	ID          int64  `json:"ID"`
	Name        string `json:"Name"`
	Email       string `json:"Email"`
	CompanyName string `json:"CompanyName"`
	Created     string `json:"Created"`
}

type dataObject struct {
	ID           int64   `json:"ID"`
	Name         string  `json:"Name"`
	IntValue     int64   `json:"IntValue"`
	StringValue  *string `json:"StringValue"`
	ReferencerID int64   `json:"ReferencerId"`
}

func keyJSON(i int, l *lic) string {
	exp := l.Created.AddDate(1, 0, 0)
	if !l.Expires.IsZero() {
		exp = l.Expires
	}
	return mustJSON(licenseKey{ID: licenseIDBase + int64(i), Key: l.Key, ProductID: l.ProductID,
		Created: l.Created.Format(time.RFC3339), Expires: exp.Format(time.RFC3339), Period: 365,
		MaxNoOfMachines: l.MaxNoOfMachines, FloatingTimeInterval: l.interval, Customer: l.Customer})
}

func customerJSON(i int, c *customer, t int64) string {
	return mustJSON(customerObject{ID: customerIDBase + int64(i), Name: c.name,
		Email: "info@" + c.domain, CompanyName: c.name, Created: unixUTC(t).Format(time.RFC3339)})
}

func day(t time.Time) string { return t.Format("2006-01-02") }

// mustJSON encodes values the generator built itself, which cannot fail.
func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic("sample: encoding generated object: " + err.Error())
	}
	return string(b)
}

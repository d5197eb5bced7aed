package sample

import (
	"cmp"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
)

// The inventory methods the server answers at <base>/api/product/<Method>
// and <base>/api/customer/<Method>, with their payload keys. Each needs its
// own permission: a Live token granted other methods, or a token added
// with AddLogOnlyToken, gets MsgAccessDenied.
var inventoryEndpoints = map[string]endpoint{
	"product/getproducts":          {name: "getproducts", payload: "products"},
	"product/getkeys":              {name: "getkeys", payload: "licenseKeys"},
	"customer/getcustomers":        {name: "getcustomers", payload: "customers"},
	"customer/getcustomerlicenses": {name: "getcustomerlicenses", payload: "licenseKeys"},
}

// keysPage is how many licenses product/GetKeys sends a page when there
// are more than keysOnePage.
const (
	keysPage    = 99
	keysOnePage = 100
)

// inventoryServing is the server's inventory state: the edits made to it
// (EditInventory) and the inventory last computed.
type inventoryServing struct {
	mu     sync.Mutex
	edits  []func(*Inventory)
	rows   int // Web API rows the cached inventory was derived from
	nEdits int // edits applied to it
	cached *Inventory
}

// EditInventory changes the inventory the server serves from now on, as
// the vendor changing licenses in the dashboard would: edit gets the
// inventory derived from the account (and the rows appended since) with
// every earlier edit applied, and changes it in place. Tests use it to
// plant changes between two syncs.
func (s *Server) EditInventory(edit func(*Inventory)) {
	s.inv.mu.Lock()
	defer s.inv.mu.Unlock()
	s.inv.edits = append(s.inv.edits, edit)
}

// Inventory returns the inventory as the server serves it now.
func (s *Server) Inventory() *Inventory {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.inventoryLocked()
}

// inventoryLocked returns the inventory for the server's rows now; the
// caller holds s.mu for reading.
func (s *Server) inventoryLocked() *Inventory {
	s.inv.mu.Lock()
	defer s.inv.mu.Unlock()
	if s.inv.cached == nil || s.inv.rows != len(s.web) || s.inv.nEdits != len(s.inv.edits) {
		inv := inventoryOf(s.acc, s.web, s.acc.Now)
		for _, e := range s.inv.edits {
			e(inv)
		}
		s.inv.cached, s.inv.rows, s.inv.nEdits = inv, len(s.web), len(s.inv.edits)
	}
	return s.inv.cached
}

// inventoryEndpoint finds an inventory method in a path ending in
// /api/product/<Method> or /api/customer/<Method> (lower-cased).
func inventoryEndpoint(p string) (endpoint, bool) {
	for _, group := range []string{"/product/", "/customer/"} {
		i := strings.LastIndex(p, group)
		if i >= 0 && strings.HasSuffix(p[:i], "/api") {
			ep, ok := inventoryEndpoints[p[i+1:]]
			return ep, ok
		}
	}
	return endpoint{}, false
}

// isInventory reports whether ep is an inventory method.
func isInventory(ep endpoint) bool {
	for _, e := range inventoryEndpoints {
		if e.name == ep.name {
			return true
		}
	}
	return false
}

// inventoryAnswer answers an inventory method whose token was accepted.
func (s *Server) inventoryAnswer(w http.ResponseWriter, p params, ep endpoint) []byte {
	if s.usage.isLogOnly(p.str("token")) {
		return errorBody(MsgAccessDenied)
	}
	s.mu.RLock()
	inv := s.inventoryLocked()
	s.mu.RUnlock()
	bad := func(name, why string) []byte {
		w.Header().Set("X-Sample-Error", (&paramError{name, why}).Error())
		return errorBody(MsgInputIncorrect)
	}
	extra := ""
	var rows any
	switch ep.name {
	case "getproducts":
		rows = inv.Products
	case "getcustomers":
		id, err := p.int64("customerid")
		limit, lerr := p.int64("limit")
		if err != nil || lerr != nil || limit < 0 {
			return bad("CustomerId/Limit", "not a number")
		}
		var out []cryptolens.Customer
		for _, c := range inv.Customers {
			if (id == 0 || c.ID == id) && matchText(p.str("search"), c.Name, c.Email, c.CompanyName) {
				out = append(out, c)
			}
		}
		if limit > 0 && int64(len(out)) > limit {
			out = out[:limit]
		}
		rows = out
	case "getcustomerlicenses":
		id, err := p.int64("customerid")
		if err != nil || id <= 0 {
			return bad("CustomerId", "want a customer's id")
		}
		var out []cryptolens.LicenseEntry
		for _, l := range inv.Licenses {
			if l.CustomerID == id {
				out = append(out, l)
			}
		}
		rows = wireLicenses(out)
	default:
		page, total, pages, msg := keysOf(inv, p)
		if msg != "" {
			return bad("GetKeys", msg)
		}
		rows = wireLicenses(page)
		extra = `,"returned":` + strconv.Itoa(len(page)) + `,"total":` + strconv.Itoa(total) + `,"pageCount":` + strconv.Itoa(pages)
	}
	payload, err := json.Marshal(rows)
	if err != nil {
		return errorBody("Something went wrong")
	}
	if string(payload) == "null" {
		payload = []byte("[]")
	}
	body := append([]byte(`{"result":0,"message":null,"`), ep.payload...)
	body = append(append(append(body, `":`...), payload...), extra...)
	return append(body, '}')
}

// keysOf selects one page of product/GetKeys: ProductId, SearchQuery (in
// the sample, text the key or its notes contain, in any case), OrderBy
// (ID, Created, Expires, Period, MaxNoOfMachines or F1..F8, optionally
// "descending"; default ID) and Page (from 1).
func keysOf(inv *Inventory, p params) (page []cryptolens.LicenseEntry, total, pages int, bad string) {
	product, err := p.int64("productid")
	if err != nil {
		return nil, 0, 0, "ProductId is not a number"
	}
	n, err := p.int64("page")
	if err != nil || n < 0 {
		return nil, 0, 0, "Page is not a page number"
	}
	var all []cryptolens.LicenseEntry
	for _, l := range inv.Licenses {
		if (product == 0 || int64(l.ProductID) == product) && matchText(p.str("searchquery"), l.Key, l.Notes) {
			all = append(all, l)
		}
	}
	by, desc := strings.CutSuffix(strings.ToLower(p.str("orderby")), " descending")
	key, ok := orderKeys[strings.TrimSpace(by)]
	if !ok {
		return nil, 0, 0, "OrderBy: cannot order by " + strconv.Quote(by)
	}
	slices.SortStableFunc(all, func(x, y cryptolens.LicenseEntry) int {
		c := cmp.Compare(key(&x.LicenseKey), key(&y.LicenseKey))
		if desc {
			c = -c
		}
		return c
	})
	total, size := len(all), len(all)
	if total > keysOnePage {
		size = keysPage
	}
	pages = 1
	if size > 0 {
		pages = (total + size - 1) / size
	}
	from := int(max(n, 1)-1) * size
	if from >= total {
		return nil, total, pages, ""
	}
	return all[from:min(from+size, total)], total, pages, ""
}

// orderKeys are what the sample's OrderBy can sort licenses by.
var orderKeys = map[string]func(*cryptolens.LicenseKey) int64{
	"": func(l *cryptolens.LicenseKey) int64 { return l.ID }, "id": func(l *cryptolens.LicenseKey) int64 { return l.ID },
	"created":         func(l *cryptolens.LicenseKey) int64 { return l.Created },
	"expires":         func(l *cryptolens.LicenseKey) int64 { return l.Expires },
	"period":          func(l *cryptolens.LicenseKey) int64 { return int64(l.Period) },
	"maxnoofmachines": func(l *cryptolens.LicenseKey) int64 { return int64(l.MaxNoOfMachines) },
	"f1":              func(l *cryptolens.LicenseKey) int64 { return b2i(l.F1) },
	"f2":              func(l *cryptolens.LicenseKey) int64 { return b2i(l.F2) },
	"f3":              func(l *cryptolens.LicenseKey) int64 { return b2i(l.F3) },
	"f4":              func(l *cryptolens.LicenseKey) int64 { return b2i(l.F4) },
	"f5":              func(l *cryptolens.LicenseKey) int64 { return b2i(l.F5) },
	"f6":              func(l *cryptolens.LicenseKey) int64 { return b2i(l.F6) },
	"f7":              func(l *cryptolens.LicenseKey) int64 { return b2i(l.F7) },
	"f8":              func(l *cryptolens.LicenseKey) int64 { return b2i(l.F8) },
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// matchText reports whether any of the texts contains q, in any case; an
// empty q matches everything.
func matchText(q string, texts ...string) bool {
	if q == "" {
		return true
	}
	for _, t := range texts {
		if containsFold(t, q) {
			return true
		}
	}
	return false
}

// wireLicense is a license as the API sends it: its fields, its customer
// and its machines nested, without the fields lenslog derives (the
// customer's id, floating, each machine's license).
type wireLicense struct {
	ProductID         int             `json:"productId"`
	ID                int64           `json:"id"`
	Key               string          `json:"key"`
	Created           int64           `json:"created"`
	Expires           int64           `json:"expires"`
	Period            int             `json:"period"`
	F1                bool            `json:"f1"`
	F2                bool            `json:"f2"`
	F3                bool            `json:"f3"`
	F4                bool            `json:"f4"`
	F5                bool            `json:"f5"`
	F6                bool            `json:"f6"`
	F7                bool            `json:"f7"`
	F8                bool            `json:"f8"`
	Notes             string          `json:"notes"`
	Block             bool            `json:"block"`
	GlobalID          int64           `json:"globalId"`
	Customer          *wireCustomer   `json:"customer"`
	ActivatedMachines []wireMachine   `json:"activatedMachines"`
	TrialActivation   bool            `json:"trialActivation"`
	MaxNoOfMachines   int             `json:"maxNoOfMachines"`
	AllowedMachines   string          `json:"allowedMachines"`
	DataObjects       []any           `json:"dataObjects"`
	SignDate          int64           `json:"signDate"`
	Reseller          json.RawMessage `json:"reseller"`
}

// wireCustomer is a customer nested in a license.
type wireCustomer struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Email       string `json:"email"`
	CompanyName string `json:"companyName"`
	Created     int64  `json:"created"`
}

// wireMachine is an activated machine; its times are ISO-8601 text, as
// the .NET model's DateTime is written.
type wireMachine struct {
	Mid             string  `json:"mid"`
	IP              string  `json:"ip"`
	Time            string  `json:"time"`
	FriendlyName    string  `json:"friendlyName"`
	FloatingExpires *string `json:"floatingExpires"`
}

// dotNetTime writes unix seconds as .NET writes a DateTime without a zone
// (which lenslog reads as UTC).
func dotNetTime(sec int64) string { return time.Unix(sec, 0).UTC().Format("2006-01-02T15:04:05") }

func wireLicenses(ls []cryptolens.LicenseEntry) []wireLicense {
	out := make([]wireLicense, len(ls))
	for i, l := range ls {
		w := wireLicense{ProductID: l.ProductID, ID: l.ID, Key: l.Key, Created: l.Created, Expires: l.Expires,
			Period: l.Period, F1: l.F1, F2: l.F2, F3: l.F3, F4: l.F4, F5: l.F5, F6: l.F6, F7: l.F7, F8: l.F8,
			Notes: l.Notes, Block: l.Block, GlobalID: l.GlobalID, TrialActivation: l.TrialActivation,
			MaxNoOfMachines: l.MaxNoOfMachines, AllowedMachines: l.AllowedMachines, DataObjects: []any{},
			SignDate: l.Created, Reseller: json.RawMessage("null"), ActivatedMachines: []wireMachine{}}
		if c := l.Customer; c != nil {
			w.Customer = &wireCustomer{ID: c.ID, Name: c.Name, Email: c.Email, CompanyName: c.CompanyName, Created: c.Created}
		}
		for _, m := range l.Machines {
			wm := wireMachine{Mid: m.Mid, IP: m.IP, Time: dotNetTime(m.Time), FriendlyName: m.FriendlyName}
			if m.FloatingExpires != 0 {
				fe := dotNetTime(m.FloatingExpires)
				wm.FloatingExpires = &fe
			}
			w.ActivatedMachines = append(w.ActivatedMachines, wm)
		}
		out[i] = w
	}
	return out
}

// LogChange adds an entry to the server's Object Log, as the dashboard
// records a change a user made: e is kept as given but for its id (the
// next one) and owner, and returned. Tests pair it with EditInventory.
func (s *Server) LogChange(e cryptolens.ObjectLogEntry) cryptolens.ObjectLogEntry {
	s.mu.Lock()
	defer s.mu.Unlock()
	e.ID, e.ObjectOwnerUserID = s.nextID(lastOf(s.objects).ID), OwnerUserID
	s.objects = append(s.objects, e)
	return e
}

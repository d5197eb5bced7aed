package cryptolens

import (
	"context"
	"fmt"
	"iter"
	"net/url"
	"strconv"
)

// The inventory methods read the account's present state: its products,
// its licenses (each with its customer and activated machines) and its
// customers. Cryptolens keeps no history of them; a store keeps one
// snapshot per sync (pkg/logstore). Each method needs its own permission
// on the access token, named after it; without it the server says "Access
// denied" and the error names the permission.

// The inventory methods, as their paths under the base URL are spelled;
// also the Method of their errors.
const (
	MethodGetProducts         = "product/GetProducts"
	MethodGetKeys             = "product/GetKeys"
	MethodGetCustomers        = "customer/GetCustomers"
	MethodGetCustomerLicenses = "customer/GetCustomerLicenses"
)

// The access-token permissions the inventory methods need, as the
// Cryptolens dashboard names them.
const (
	PermissionGetProducts         = "GetProducts"
	PermissionGetKeys             = "GetKeys"
	PermissionGetCustomers        = "GetCustomers"
	PermissionGetCustomerLicenses = "GetCustomerLicenses"
)

// KeysPageSize is how many licenses product/GetKeys returns a page when a
// product has more than 100.
const KeysPageSize = 99

// LicenseEntry is one license as product/GetKeys and
// customer/GetCustomerLicenses send it: the license's own fields, its
// customer (nil for none) and its activated machines, each carrying the
// license's id, product and key. LicenseKey.CustomerID is the customer's
// id and LicenseKey.Floating is set when a machine holds a floating seat.
type LicenseEntry struct {
	LicenseKey
	Customer *Customer
	Machines []ActivatedMachine
}

// KeysQuery holds the parameters of product/GetKeys. Zero values are not
// sent.
type KeysQuery struct {
	ProductID int // the product whose licenses to list; 0: every product the token may read
	// Page is the page to fetch, from 1 (0 means 1); KeysPageSize licenses
	// a page. The pager (Client.AllKeys) moves it.
	Page int
	// OrderBy sorts the licenses, e.g. "ID", "Created descending", "F1".
	OrderBy string
	// SearchQuery keeps the licenses matching the dashboard's search
	// language, e.g. `Block = true`.
	SearchQuery string
}

func (q KeysQuery) form() (url.Values, error) {
	p := newParams(MethodGetKeys)
	p.id("ProductId", int64(q.ProductID))
	p.id("Page", int64(q.Page))
	p.str("OrderBy", q.OrderBy)
	p.str("SearchQuery", q.SearchQuery)
	return p.v, p.err
}

// CustomersQuery holds the parameters of customer/GetCustomers. Zero
// values are not sent: every customer.
type CustomersQuery struct {
	Search     string // customers whose name, company or e-mail contains it
	Limit      int    // at most this many; 0: all
	CustomerID int64  // only this customer
}

func (q CustomersQuery) form() (url.Values, error) {
	p := newParams(MethodGetCustomers)
	p.str("Search", q.Search)
	p.id("Limit", int64(q.Limit))
	p.id("CustomerId", q.CustomerID)
	return p.v, p.err
}

// KeysPage is one page of product/GetKeys.
type KeysPage struct {
	Licenses  []LicenseEntry
	Total     int // licenses matching the query, over every page
	PageCount int // pages there are; 0 when the server did not say
}

// Products fetches product/GetProducts: every product the token may read.
func (c *Client) Products(ctx context.Context) ([]Product, error) {
	return call(ctx, c, MethodGetProducts, productPages.array, url.Values{}, func(body []byte) (envelope, []Product, error) {
		return productPages.decode(newDecoder(body, nil), nil)
	})
}

// Keys fetches one page of product/GetKeys.
func (c *Client) Keys(ctx context.Context, q KeysQuery) (KeysPage, error) {
	v, err := q.form()
	if err != nil {
		return KeysPage{}, c.safe(err)
	}
	var page KeysPage
	rows, err := call(ctx, c, MethodGetKeys, licensePages.array, v, func(body []byte) (envelope, []LicenseEntry, error) {
		page.Total, page.PageCount = int(topInt(body, "total")), int(topInt(body, "pageCount"))
		return licensePages.decode(newDecoder(body, nil), nil)
	})
	page.Licenses = rows
	return page, err
}

// AllKeys pages product/GetKeys from q.Page (0 or 1: the first) to the
// last page: the page count the server gives, else until a page holds
// fewer than KeysPageSize licenses. A license repeated on a later page
// (the list changed while it was read) is yielded once.
func (c *Client) AllKeys(ctx context.Context, q KeysQuery) iter.Seq2[[]LicenseEntry, error] {
	return func(yield func([]LicenseEntry, error) bool) {
		seen := map[int64]bool{}
		for page := max(q.Page, 1); ; page++ {
			q.Page = page
			p, err := c.Keys(ctx, q)
			if err != nil {
				yield(nil, err)
				return
			}
			fresh := p.Licenses[:0:0]
			for _, l := range p.Licenses {
				if l.ID != 0 && !seen[l.ID] {
					seen[l.ID] = true
					fresh = append(fresh, l)
				}
			}
			if len(fresh) > 0 && !yield(fresh, nil) {
				return
			}
			last := len(p.Licenses) == 0 || (p.PageCount > 0 && page >= p.PageCount) || (p.PageCount == 0 && len(p.Licenses) < KeysPageSize)
			if last {
				return
			}
			if len(fresh) == 0 {
				yield(nil, fmt.Errorf("cryptolens: %s: page %d held only licenses already read: %w", MethodGetKeys, page, ErrNoProgress))
				return
			}
		}
	}
}

// Customers fetches customer/GetCustomers.
func (c *Client) Customers(ctx context.Context, q CustomersQuery) ([]Customer, error) {
	v, err := q.form()
	if err != nil {
		return nil, c.safe(err)
	}
	return call(ctx, c, MethodGetCustomers, customerPages.array, v, func(body []byte) (envelope, []Customer, error) {
		return customerPages.decode(newDecoder(body, nil), nil)
	})
}

// CustomerLicenses fetches customer/GetCustomerLicenses: the licenses of
// one customer.
func (c *Client) CustomerLicenses(ctx context.Context, customerID int64) ([]LicenseEntry, error) {
	p := newParams(MethodGetCustomerLicenses)
	if customerID <= 0 {
		p.fail("CustomerId is %d; want a customer's id", customerID)
	}
	p.id("CustomerId", customerID)
	if p.err != nil {
		return nil, c.safe(p.err)
	}
	return call(ctx, c, MethodGetCustomerLicenses, licensePages.array, p.v, func(body []byte) (envelope, []LicenseEntry, error) {
		return licensePages.decode(newDecoder(body, nil), nil)
	})
}

// topInt returns the integer member name of the JSON object body (any
// letter case), 0 when it has none or is not an object.
func topInt(body []byte, name string) int64 {
	d := &decoder{buf: body}
	d.ws()
	if d.pos >= len(body) || body[d.pos] != '{' || d.open('}') {
		return 0
	}
	for {
		k, err := d.key()
		if err != nil {
			return 0
		}
		if keyIs(k, name) {
			v, _, _ := d.int64Value()
			return v
		}
		if d.skip(2) != nil {
			return 0
		}
		if more, err := d.next('}'); err != nil || !more {
			return 0
		}
	}
}

// itoa is strconv.Itoa, for error fields.
func itoa(i int) string { return strconv.Itoa(i) }

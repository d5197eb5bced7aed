package cryptolens

// The inventory page specs. Products and customers are flat objects,
// decoded by the generated decoders (rowdecode_gen.go): unknown keys are
// skipped, keys match in any letter case (the signed license format and
// the .NET SDK spell them in PascalCase: "ID", "MaxNoOfMachines"), null
// leaves a field zero, and errors name the row, field and byte offset.
// A license nests its customer and its activated machines: the generated
// decoder reads its flat fields and hands the two nested members to
// LicenseEntry.member, so each license object is read once.

var (
	productPages = pageSpec[Product]{MethodGetProducts, "products", 200, decodeProduct,
		func(r *Product) int64 { return r.ID }}
	customerPages = pageSpec[Customer]{MethodGetCustomers, "customers", 150, decodeCustomer,
		func(r *Customer) int64 { return r.ID }}
	licensePages = pageSpec[LicenseEntry]{MethodGetKeys, "licenseKeys", 600, decodeLicenseEntry,
		func(r *LicenseEntry) int64 { return r.ID }}
)

// DecodeProductsPage decodes a product/GetProducts response body, as
// DecodeWebAPILogPage does a log page.
func DecodeProductsPage(body []byte) ([]Product, error) {
	return productPages.checked(newDecoder(body, nil), nil)
}

// DecodeKeysPage decodes a product/GetKeys (or customer/GetCustomerLicenses)
// response body: its licenses, each with its customer and machines.
func DecodeKeysPage(body []byte) ([]LicenseEntry, error) {
	return licensePages.checked(newDecoder(body, nil), nil)
}

// DecodeCustomersPage decodes a customer/GetCustomers response body.
func DecodeCustomersPage(body []byte) ([]Customer, error) {
	return customerPages.checked(newDecoder(body, nil), nil)
}

// decodeLicenseEntry decodes one license (or null) into r: its flat
// fields, its customer and its activated machines.
func decodeLicenseEntry(d *decoder, r *LicenseEntry) (string, error) {
	if field, err := decodeLicenseKey(d, &r.LicenseKey, r.member); err != nil {
		return field, err
	}
	r.Link()
	return "", nil
}

// Link sets the fields a license derives from what is nested in it: each
// machine's LicenseID, ProductID and Key, the license's CustomerID (when
// it has a customer) and Floating (when a machine holds a floating seat,
// or the server said so).
func (r *LicenseEntry) Link() {
	for i := range r.Machines {
		m := &r.Machines[i]
		m.LicenseID, m.ProductID, m.Key = r.ID, r.ProductID, r.Key
		if m.FloatingExpires != 0 {
			r.Floating = true
		}
	}
	if r.Customer != nil {
		r.CustomerID = r.Customer.ID
	}
}

// member decodes a member the license nests (decodeLicenseKey's hook):
// its "customer" or its "activatedMachines".
func (r *LicenseEntry) member(d *decoder, name string) (string, error) {
	switch name {
	case "customer":
		var c Customer
		if field, err := decodeCustomer(d, &c); err != nil {
			return "customer." + field, err
		}
		if c != (Customer{}) {
			r.Customer = &c
		}
	case "activatedMachines":
		if field, err := r.machines(d); err != nil {
			return "activatedMachines" + field, err
		}
	default: // a member the description nests that this file does not read yet
		if err := d.skip(4); err != nil {
			return name, err
		}
	}
	return "", nil
}

// machines decodes the activatedMachines array (or null); null elements
// are left out. A failure names the element and its field.
func (r *LicenseEntry) machines(d *decoder) (string, error) {
	if null, err := d.isNull(); null || err != nil {
		return "", err
	}
	if d.pos >= len(d.buf) || d.buf[d.pos] != '[' {
		return "", d.typeErr("array")
	}
	if d.open(']') {
		return "", nil
	}
	for i := 0; ; i++ {
		d.ws()
		var m ActivatedMachine
		if field, err := decodeActivatedMachine(d, &m); err != nil {
			return "[" + itoa(i) + "]." + field, err
		}
		if m != (ActivatedMachine{}) {
			r.Machines = append(r.Machines, m)
		}
		more, err := d.next(']')
		if err != nil {
			return "[" + itoa(i) + "]", err
		}
		if !more {
			return "", nil
		}
	}
}

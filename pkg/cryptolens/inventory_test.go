package cryptolens

import (
	"reflect"
	"strings"
	"testing"
)

func TestInventoryQueryForms(t *testing.T) {
	tests := []formCase{
		{name: "keys, nothing set", form: KeysQuery{}.form, want: ""},
		{name: "keys, every parameter", form: KeysQuery{ProductID: 3349, Page: 2, OrderBy: "Created descending", SearchQuery: `Block = true`}.form,
			want: "OrderBy=Created+descending&Page=2&ProductId=3349&SearchQuery=Block+%3D+true"},
		{name: "keys, negative page", form: KeysQuery{Page: -1}.form, wantErr: "Page is -1"},
		{name: "customers, nothing set", form: CustomersQuery{}.form, want: ""},
		{name: "customers, every parameter", form: CustomersQuery{Search: "acme", Limit: 10, CustomerID: 52000}.form,
			want: "CustomerId=52000&Limit=10&Search=acme"},
		{name: "customers, negative limit", form: CustomersQuery{Limit: -5}.form, wantErr: "Limit is -5"},
	}
	checkForms(t, tests)
}

// aLicense is the license the decoder tests send, as the API spells it.
const aLicense = `{"productId":3349,"id":310000,"key":"ABCDE-FGHIJ-KLMNO-PQRST","created":1777593600,"expires":1809129600,
"period":365,"f1":true,"f2":false,"f3":false,"f4":false,"f5":true,"f6":false,"f7":false,"f8":false,"notes":"Invoice 1234",
"block":false,"globalId":7310000,"customer":{"id":52000,"name":"Acme AB","email":"info@acme.se","companyName":"Acme AB","created":1777507200},
"activatedMachines":[{"mid":"m1","ip":"10.0.0.0","time":"2026-05-01T00:00:00","friendlyName":"laptop","floatingExpires":null},
{"mid":"m2","ip":"10.0.1.0","time":1777597200,"friendlyName":"seat","floatingExpires":"2026-05-01T02:00:00Z"}],
"trialActivation":false,"maxNoOfMachines":5,"allowedMachines":"","dataObjects":[{"id":1,"name":"credits","intValue":3}],
"signDate":1777593600,"reseller":null}`

// aLicenseEntry is aLicense decoded.
var aLicenseEntry = LicenseEntry{
	LicenseKey: LicenseKey{ID: 310000, ProductID: 3349, Key: "ABCDE-FGHIJ-KLMNO-PQRST", Created: may1, Expires: 1809129600,
		Period: 365, F1: true, F5: true, Notes: "Invoice 1234", GlobalID: 7310000, CustomerID: 52000, MaxNoOfMachines: 5, Floating: true},
	Customer: &Customer{ID: 52000, Name: "Acme AB", Email: "info@acme.se", CompanyName: "Acme AB", Created: may1 - 86400},
	Machines: []ActivatedMachine{
		{LicenseID: 310000, ProductID: 3349, Key: "ABCDE-FGHIJ-KLMNO-PQRST", Mid: "m1", IP: "10.0.0.0", Time: may1, FriendlyName: "laptop"},
		{LicenseID: 310000, ProductID: 3349, Key: "ABCDE-FGHIJ-KLMNO-PQRST", Mid: "m2", IP: "10.0.1.0", Time: may1 + 3600,
			FriendlyName: "seat", FloatingExpires: may1 + 7200},
	},
}

// pascal spells the keys of a JSON text the way the signed license format
// does (ProductId, ID, MaxNoOfMachines, ActivatedMachines, Mid ...).
func pascal(s string) string {
	r := strings.NewReplacer(`"productId"`, `"ProductId"`, `"id"`, `"ID"`, `"key"`, `"Key"`, `"created"`, `"Created"`,
		`"expires"`, `"Expires"`, `"period"`, `"Period"`, `"f1"`, `"F1"`, `"f5"`, `"F5"`, `"notes"`, `"Notes"`, `"globalId"`, `"GlobalId"`,
		`"customer"`, `"Customer"`, `"name"`, `"Name"`, `"email"`, `"Email"`, `"companyName"`, `"CompanyName"`,
		`"activatedMachines"`, `"ActivatedMachines"`, `"mid"`, `"Mid"`, `"ip"`, `"IP"`, `"time"`, `"Time"`,
		`"friendlyName"`, `"FriendlyName"`, `"floatingExpires"`, `"FloatingExpires"`, `"maxNoOfMachines"`, `"MaxNoOfMachines"`)
	return r.Replace(s)
}

func TestInventoryDecoders(t *testing.T) {
	tests := []decodeCase{
		{name: "license with customer and machines", decode: wrap(DecodeKeysPage),
			body: `{"result":0,"message":"","licenseKeys":[` + aLicense + `],"returned":1,"total":1,"pageCount":1}`,
			want: []LicenseEntry{aLicenseEntry}},
		{name: "license in PascalCase", decode: wrap(DecodeKeysPage),
			body: `{"Result":0,"Message":null,"LicenseKeys":[` + pascal(aLicense) + `]}`, want: []LicenseEntry{aLicenseEntry}},
		{name: "license with nulls", decode: wrap(DecodeKeysPage),
			body: `{"result":0,"licenseKeys":[{"id":7,"key":null,"customer":null,"activatedMachines":null,"notes":null,"expires":null,"block":null}]}`,
			want: []LicenseEntry{{LicenseKey: LicenseKey{ID: 7}}}},
		{name: "null license and null machine", decode: wrap(DecodeKeysPage),
			body: `{"result":0,"licenseKeys":[null,{"id":8,"activatedMachines":[null,{"mid":"m"}]}]}`,
			want: []LicenseEntry{{}, {LicenseKey: LicenseKey{ID: 8}, Machines: []ActivatedMachine{{LicenseID: 8, Mid: "m"}}}}},
		{name: "unknown fields, nested too", decode: wrap(DecodeKeysPage),
			body: `{"result":0,"licenseKeys":[{"id":9,"x":{"y":[1,2,{"z":null}]},"customer":{"id":3,"vip":true},"activatedMachines":[{"mid":"m","os":"linux"}]}],"extra":1}`,
			want: []LicenseEntry{{LicenseKey: LicenseKey{ID: 9, CustomerID: 3}, Customer: &Customer{ID: 3},
				Machines: []ActivatedMachine{{LicenseID: 9, Mid: "m"}}}}},
		{name: "wrong type of a field", decode: wrap(DecodeKeysPage),
			body: `{"result":0,"licenseKeys":[{"id":10,"maxNoOfMachines":"five"}]}`, wantErr: `field "maxNoOfMachines": want number, got string`},
		{name: "machines not a list", decode: wrap(DecodeKeysPage),
			body: `{"result":0,"licenseKeys":[{"id":11,"activatedMachines":{"mid":"m"}}]}`, wantErr: `field "activatedMachines": want array, got object`},
		{name: "bad time in a machine", decode: wrap(DecodeKeysPage),
			body:    `{"result":0,"licenseKeys":[{"id":12,"activatedMachines":[{"mid":"m"},{"mid":"n","time":"yesterday"}]}]}`,
			wantErr: `licenseKeys[0] (id 12): field "activatedMachines[1].time": want an ISO-8601 time`},
		{name: "customer of the wrong type", decode: wrap(DecodeKeysPage),
			body: `{"result":0,"licenseKeys":[{"id":13,"customer":"Acme"}]}`, wantErr: `field "customer.": want object, got string`},
		{name: "products", decode: wrap(DecodeProductsPage),
			body: `{"result":0,"products":[{"id":3349,"name":"PixelForge","creationDate":"2024-01-02T03:04:05","description":null,"isPublic":true,"keyAlgorithm":1,"featureDefinitions":{}}]}`,
			want: []Product{{ID: 3349, Name: "PixelForge", CreationDate: 1704164645}}},
		{name: "products, wrong type", decode: wrap(DecodeProductsPage),
			body: `{"result":0,"products":[{"id":"3349"}]}`, wantErr: `products[0]: field "id": want number, got string`},
		{name: "customers, any letter case", decode: wrap(DecodeCustomersPage),
			body: `{"result":0,"Customers":[{"Id":1,"NAME":"A","email":"a@b.c","companyname":"A Ltd","Created":"2026-05-01"}]}`,
			want: []Customer{{ID: 1, Name: "A", Email: "a@b.c", CompanyName: "A Ltd", Created: may1}}},
		{name: "customers, access denied", decode: wrap(DecodeCustomersPage), body: `{"result":1,"message":"Access denied"}`,
			wantErr: `customer/GetCustomers: Access denied (the token lacks the "GetCustomers" permission`},
		{name: "keys, access denied", decode: wrap(DecodeKeysPage), body: `{"result":1,"message":"Access denied"}`,
			wantErr: `product/GetKeys: Access denied (the token lacks the "GetKeys" permission`},
		{name: "key usage summary counters, where sent", decode: wrap(DecodeKeyUsageSummariesPage),
			body: `{"result":0,"summaries":[{"id":1,"ActivationsFailed":2,"activationsNewMachine":3,"activationsTrial":4,"activationsFloating":5,
"activationsDeviceLimit":6,"deactivationsSucceeded":7,"deactivationsFloating":8,"trialKeysGenerated":9,"trialKeysReused":10,
"trialKeysFailed":11,"dataObjectOperations":12,"dataObjectIncrements":13,"dataObjectDecrements":14,"dataObjectIntSets":15,"dataObjectStringSets":null}]}`,
			want: []KeyUsageSummary{{ID: 1, ActivationsFailed: 2, ActivationsNewMachine: 3, ActivationsTrial: 4, ActivationsFloating: 5,
				ActivationsDeviceLimit: 6, DeactivationsSucceeded: 7, DeactivationsFloating: 8, TrialKeysGenerated: 9, TrialKeysReused: 10,
				TrialKeysFailed: 11, DataObjectOperations: 12, DataObjectIncrements: 13, DataObjectDecrements: 14, DataObjectIntSets: 15}}},
		{name: "key usage summary counters, wrong type", decode: wrap(DecodeKeyUsageSummariesPage),
			body: `{"result":0,"summaries":[{"id":1,"trialKeysReused":"ten"}]}`, wantErr: `field "trialKeysReused": want number, got string`},
		{name: "truncated", decode: wrap(DecodeKeysPage), body: `{"result":0,"licenseKeys":[{"id":1,"activatedMachines":[{`, wantErr: `invalid JSON`},
	}
	checkDecodes(t, tests)
}

// FuzzDecodeKeysPage checks the license decoder on any body: it never
// panics, a body it accepts decodes the same twice, and every machine it
// returns carries its license's id, product and key.
func FuzzDecodeKeysPage(f *testing.F) {
	for _, s := range []string{
		`{"result":0,"licenseKeys":[` + aLicense + `]}`,
		`{"result":0,"licenseKeys":[` + pascal(aLicense) + `]}`,
		`{"result":0,"licenseKeys":[null,{"id":8,"activatedMachines":[null,{"mid":"m"}]}]}`,
		`{"result":0,"licenseKeys":[{"id":13,"customer":"Acme"}]}`,
		`{"result":1,"message":"Access denied"}`,
		`{"result":0,"licenseKeys":[{"id":1,"activatedMachines":[{`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		got, err := DecodeKeysPage(append([]byte(nil), body...))
		if err != nil {
			return
		}
		again, _ := DecodeKeysPage(append([]byte(nil), body...))
		if !reflect.DeepEqual(got, again) {
			t.Fatal("two decodes of one body differ")
		}
		for _, l := range got {
			for _, m := range l.Machines {
				if m.LicenseID != l.ID || m.ProductID != l.ProductID || m.Key != l.Key {
					t.Fatalf("machine %+v of license %d", m, l.ID)
				}
			}
		}
	})
}

package cryptolens

import "testing"

func TestResourceNames(t *testing.T) {
	types := []struct {
		t    ResourceType
		want string
	}{
		{ResourceUnspecified, "Unspecified"}, {ResourceCustomer, "Customer"}, {ResourceIssuedLicense, "IssuedLicense"},
		{ResourceLicenseKey, "LicenseKey"}, {ResourceLicenseIssuance, "LicenseIssuance"}, {ResourceProduct, "Product"},
		{ResourceDataObject, "DataObject"}, {ResourceType(99), "ResourceType(99)"}, {ResourceType(-1), "ResourceType(-1)"},
	}
	for _, tt := range types {
		if got := tt.t.String(); got != tt.want {
			t.Errorf("ResourceType(%d).String() = %q, want %q", int(tt.t), got, tt.want)
		}
	}
	actions := []struct {
		a    ResourceAction
		want string
	}{
		{ActionNone, "None"}, {ActionAdded, "Added"}, {ActionUpdated, "Updated"}, {ActionDeleted, "Deleted"},
		{ResourceAction(4), "ResourceAction(4)"},
	}
	for _, tt := range actions {
		if got := tt.a.String(); got != tt.want {
			t.Errorf("ResourceAction(%d).String() = %q, want %q", int(tt.a), got, tt.want)
		}
	}
}

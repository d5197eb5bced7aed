package cryptolens

// License is what lenslog knows of one license key of an account, as
// Cryptolens's license key object describes it: enough to interpret the
// key's log rows (the seat limit for a floating-seat audit). The logs do
// not carry it; an account's license list does (the sample account has
// one; a live account's comes from the user).
type License struct {
	Key             string // ABCDE-FGHIJ-KLMNO-PQRST
	ProductID       int    // the product it belongs to
	Floating        bool   // floating (concurrent seats) rather than node-locked
	MaxNoOfMachines int    // node-locked: machines allowed; floating: seats
}

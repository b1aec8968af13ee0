package profiles

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Attendance is what a participant reports of a meeting after it.
type Attendance string

// Attendance reports.
const (
	// AttendanceHeld: the meeting took place.
	AttendanceHeld Attendance = "held"
	// AttendanceNoShow: the partner did not come.
	AttendanceNoShow Attendance = "no_show"
)

// Attendances lists every attendance report.
var Attendances = []Attendance{AttendanceHeld, AttendanceNoShow}

// Valid reports whether a is a known attendance.
func (a Attendance) Valid() bool { return slices.Contains(Attendances, a) }

// AgreementType is the kind of partnership a meeting led to, in the
// terms of the Enterprise Europe Network's partnership agreements.
type AgreementType string

// Partnership agreement types (EEN).
const (
	AgreementCommercialTechnical AgreementType = "commercial_technical_assistance"
	AgreementCommercial          AgreementType = "commercial"
	AgreementLicense             AgreementType = "license"
	AgreementJointVenture        AgreementType = "joint_venture"
	AgreementResearch            AgreementType = "research_cooperation"
	AgreementTechnical           AgreementType = "technical_cooperation"
	AgreementSubcontracting      AgreementType = "subcontracting"
	AgreementManufacturing       AgreementType = "manufacturing"
	AgreementServices            AgreementType = "services"
	AgreementFinancial           AgreementType = "financial"
	AgreementOther               AgreementType = "other"
)

// AgreementTypes lists every agreement type in the order forms offer them.
var AgreementTypes = []AgreementType{
	AgreementCommercialTechnical, AgreementCommercial, AgreementLicense, AgreementJointVenture,
	AgreementResearch, AgreementTechnical, AgreementSubcontracting, AgreementManufacturing,
	AgreementServices, AgreementFinancial, AgreementOther,
}

var agreementLabels = map[AgreementType]string{
	AgreementCommercialTechnical: "Commercial agreement with technical assistance",
	AgreementCommercial:          "Commercial agreement",
	AgreementLicense:             "License agreement",
	AgreementJointVenture:        "Joint venture agreement",
	AgreementResearch:            "Research cooperation agreement",
	AgreementTechnical:           "Technical cooperation agreement",
	AgreementSubcontracting:      "Subcontracting",
	AgreementManufacturing:       "Manufacturing agreement",
	AgreementServices:            "Services agreement",
	AgreementFinancial:           "Financial agreement",
	AgreementOther:               "Other agreement",
}

// Valid reports whether a is a known agreement type.
func (a AgreementType) Valid() bool { return slices.Contains(AgreementTypes, a) }

// Label is the agreement type's English name, as EEN writes it.
func (a AgreementType) Label() string { return agreementLabels[a] }

// MaxOutcomeNote caps the free text of a meeting report, in characters.
const MaxOutcomeNote = 2000

// MeetingReport is one participant's account of one meeting after it took
// place (or did not): attendance, and optionally the agreement it led to.
// Each side of a meeting files its own report; filing again replaces it.
type MeetingReport struct {
	ID            string        `json:"id"` // ReportID(meeting, participant)
	EventID       string        `json:"event_id"`
	MeetingID     string        `json:"meeting_id"`
	ParticipantID string        `json:"participant_id"`
	Attendance    Attendance    `json:"attendance"`
	Agreement     AgreementType `json:"agreement,omitempty"`
	Note          string        `json:"note,omitempty"`
	ReportedAt    time.Time     `json:"reported_at"`
}

// ReportID is the ID of a participant's report on a meeting.
func ReportID(meetingID, participantID string) string {
	sum := sha256.Sum256([]byte(meetingID + "\x00" + participantID))
	return "rep-" + hex.EncodeToString(sum[:8])
}

// Validate checks the report's own fields.
func (r *MeetingReport) Validate() error {
	const ent = "meeting report"
	for _, f := range []struct{ name, v string }{{"id", r.ID}, {"event_id", r.EventID}, {"meeting_id", r.MeetingID}, {"participant_id", r.ParticipantID}} {
		if err := checkID(ent, r.ID, f.name, f.v); err != nil {
			return err
		}
	}
	if r.ID != ReportID(r.MeetingID, r.ParticipantID) {
		return fieldErr(ent, r.ID, "id", r.ID, "must be ReportID(meeting_id, participant_id)")
	}
	if !r.Attendance.Valid() {
		return fieldErr(ent, r.ID, "attendance", r.Attendance, "must be one of %v", Attendances)
	}
	if r.Agreement != "" && !r.Agreement.Valid() {
		return fieldErr(ent, r.ID, "agreement", r.Agreement, "must be one of %v", AgreementTypes)
	}
	if r.Agreement != "" && r.Attendance != AttendanceHeld {
		return fieldErr(ent, r.ID, "agreement", r.Agreement, "only a meeting that was held can lead to an agreement")
	}
	if n := utf8.RuneCountInString(r.Note); n > MaxOutcomeNote {
		return fieldErr(ent, r.ID, "note", string([]rune(r.Note)[:40])+"…", "is %d characters, at most %d", n, MaxOutcomeNote)
	}
	if strings.ContainsFunc(r.Note, func(c rune) bool { return unicode.IsControl(c) && c != '\n' && c != '\t' }) {
		return fieldErr(ent, r.ID, "note", r.Note, "must not contain control characters")
	}
	if r.ReportedAt.IsZero() {
		return fieldErr(ent, r.ID, "reported_at", r.ReportedAt, "must be set")
	}
	return nil
}

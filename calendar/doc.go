// Package calendar turns a meeting grid into what people read: each
// participant's agenda (AgendaFor), as an iCalendar object (WriteICS, RFC
// 5545, with stable UIDs and SEQUENCE so that calendar applications update
// rather than duplicate) or a CSV file (WriteAgendaCSV), and the
// organizer's grid of slots by tables (WriteGridCSV). It depends on the
// scheduler's Problem and Grid only; the solver knows nothing of calendars.
package calendar

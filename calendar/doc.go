// Package calendar turns a meeting grid into what people read: each
// participant's agenda (AgendaFor), as an iCalendar object (WriteICS, RFC
// 5545, with stable UIDs and SEQUENCE so that calendar applications update
// rather than duplicate) or spreadsheet rows (WriteAgenda, AgendaRow), and
// the organizer's grid of slots by tables (WriteGrid). Rows go to a
// RowWriter such as package sheet's, which writes CSV or XLSX and
// neutralises every cell against formula injection; WriteAgendaCSV and
// WriteGridCSV are the plain-CSV shortcuts. It depends on the scheduler's
// Problem and Grid (and package sheet) only; the solver knows nothing of
// calendars.
package calendar

/*
Package mail sends matchgrid's e-mails: personal links, a meeting request
received, a request accepted, the agenda published and the agenda changed,
each in the recipient's language (English or Italian).

# Basics

A Service is both a notify.Sink (it turns notices into mails queued in the
store's outbox, one per happening and recipient) and a notify.Sender (it
hands a queued mail to a Transport). Transports: SMTP (net/smtp, STARTTLS
when the server offers it, PLAIN authentication when a user is set) and
Dir, the development mode, which writes each mail as an .eml file.

The texts are this package's own catalog: texts/<kind>.<lang>.txt, Go
text/template files whose first line is the subject. Every kind exists in
every language (a test checks it).

# Caveats

  - A personal link is a secret and is never stored: a queued link mail
    keeps it in memory only. If the server stops before the mail goes
    out, the mail fails ("send a new link") instead of leaking the link
    into the store.
  - The recipient's language is the one they read matchgrid in (the
    participant's Lang, set when they switch the pages' language), else
    the first of the languages they speak that has texts (en, it), else
    English.
*/
package mail

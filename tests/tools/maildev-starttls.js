#!/usr/bin/env node
// MailDev exactly as node_modules/maildev/bin/maildev starts it (same command-line options), except
// that its SMTP port offers STARTTLS. MailDev 2.x creates its smtp-server with hideSTARTTLS: true
// whatever the options (lib/mailserver.js), so a key and certificate without --incoming-secure are
// never used; smtp-server reads hideSTARTTLS on every EHLO, so turning it off here makes MailDev
// answer EHLO with STARTTLS and upgrade with the --incoming-cert/--incoming-key pair.
// Used by the e-mail tests (MailDevServer) to send over STARTTLS, as production does on port 587.
const MailDev = require('maildev')

const maildev = new MailDev()
maildev.smtp.options.hideSTARTTLS = false
maildev.listen()

package smtp

import (
	"errors"
	"net/textproto"

	"github.com/candor-dev/candor/internal/mail"
)

// sendError turns a failure of one stage into a *mail.SendError, keeping the reply code
// and enhanced status code but never the server's text (it may quote the recipient).
func sendError(stage mail.Stage, err error) *mail.SendError {
	var se *mail.SendError
	if errors.As(err, &se) {
		return se
	}
	var reply *textproto.Error
	if errors.As(err, &reply) {
		return &mail.SendError{Stage: stage, Code: reply.Code, Enhanced: mail.ParseEnhanced(reply.Code, reply.Msg)}
	}
	return &mail.SendError{Stage: stage, Cause: err}
}

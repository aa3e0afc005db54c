package stripemock

import (
	"net/http"
	"testing"
)

func TestStart(t *testing.T) {
	m := Start(t)
	if m.URL.Scheme != "http" || m.HTTPSURL.Scheme != "https" || m.URL.Hostname() != "127.0.0.1" {
		t.Fatalf("%+v", m)
	}
	req, _ := http.NewRequest(http.MethodGet, m.URL.String()+"/v1/payment_intents/pi_123", nil)
	req.Header.Set("Authorization", "Bearer "+Key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatal(resp.Status)
	}
}

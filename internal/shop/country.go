package shop

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"golang.org/x/text/language"

	"github.com/candor-dev/candor/internal/errs"
)

// assigned holds the 249 officially assigned ISO 3166-1 alpha-2 codes, sorted. Region
// tables (golang.org/x/text's among them) also know old, exceptionally reserved and
// user-assigned codes (DD, UK, FX, SU, EU, XK…): a buyer choosing one of those would
// otherwise pay no tax configured for the country it stands for.
var assigned = strings.Fields(`
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ
BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ
DE DJ DK DM DO DZ
EC EE EG EH ER ES ET
FI FJ FK FM FO FR
GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY
HK HM HN HR HT HU
ID IE IL IM IN IO IQ IR IS IT
JE JM JO JP
KE KG KH KI KM KN KP KR KW KY KZ
LA LB LC LI LK LR LS LT LU LV LY
MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ
NA NC NE NF NG NI NL NO NP NR NU NZ
OM
PA PE PF PG PH PK PL PM PN PR PS PT PW PY
QA
RE RO RS RU RW
SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ
TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ
UA UG UM US UY UZ
VA VC VE VG VI VN VU
WF WS
YE YT
ZA ZM ZW`)

// Countries returns the officially assigned ISO 3166-1 alpha-2 codes, sorted: the
// codes NormalizeCountry returns, each country once.
func Countries() []string { return slices.Clone(assigned) }

// NormalizeCountry returns the officially assigned ISO 3166-1 alpha-2 code a buyer's
// country code stands for: upper-cased, and an old or exceptionally reserved code that
// was replaced by an assigned one read as that one (UK is GB, DD is DE, FX is FR), so
// that tax by country cannot be avoided with an alias. Any other code is refused.
func NormalizeCountry(cc string) (string, error) {
	cc = strings.ToUpper(strings.TrimSpace(cc))
	if r, err := language.ParseRegion(cc); len(cc) == 2 && err == nil {
		cc = r.Canonicalize().String()
	}
	if _, ok := slices.BinarySearch(assigned, cc); !ok {
		return "", errs.InvalidField("country", "Choose your country.")
	}
	return cc, nil
}

// CountryRates returns tax rates keyed by the assigned code each configured country
// code stands for, as orders store it (UK=20 is GB's rate, since a buyer choosing UK
// or GB is stored as GB). A code that stands for no assigned country, or two codes for
// the same country, is refused with an error naming them: such a rate would never be
// charged.
func CountryRates(rates map[string]int) (map[string]int, error) {
	out := make(map[string]int, len(rates))
	given := make(map[string]string, len(rates))
	for _, cc := range slices.Sorted(maps.Keys(rates)) {
		norm, err := NormalizeCountry(cc)
		if err != nil {
			return nil, fmt.Errorf("tax rate of %q: not an assigned ISO 3166-1 alpha-2 country code (e.g. DE, GB, IE)", cc)
		}
		if prev, ok := given[norm]; ok {
			return nil, fmt.Errorf("tax rates of %q and %q: both are %s; give one", prev, cc, norm)
		}
		given[norm], out[norm] = cc, rates[cc]
	}
	return out, nil
}

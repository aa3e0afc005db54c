package antibot

import (
	"slices"
	"strings"
	"testing"
)

func TestScore(t *testing.T) {
	cases := []struct {
		name    string
		text    []string
		spam    bool
		signals []string // exactly these fire
	}{
		// Genuine messages, in many scripts: nothing fires.
		{"plain English", []string{"Licence question", "Hello, can I move my licence to a new laptop? Thanks, Ann"}, false, nil},
		{"Russian", []string{"Вопрос о лицензии", "Здравствуйте! Можно ли перенести лицензию на новый ноутбук? Спасибо, Анна"}, false, nil},
		{"Chinese", []string{"许可证问题", "您好，我可以把许可证转移到新的笔记本电脑上吗？谢谢"}, false, nil},
		{"Japanese", []string{"ライセンスを新しいパソコンに移せますか？よろしくお願いします。"}, false, nil},
		{"Arabic", []string{"مرحبا، هل يمكنني نقل الترخيص إلى حاسوب جديد؟ شكرا"}, false, nil},
		{"Greek", []string{"Γεια σας, μπορώ να μεταφέρω την άδεια σε νέο υπολογιστή;"}, false, nil},
		{"Hindi", []string{"नमस्ते, क्या मैं अपना लाइसेंस नए लैपटॉप पर ले जा सकता हूँ?"}, false, nil},
		{"Russian with an English product name", []string{"Здравствуйте, Candor Pro не запускается на Windows 11."}, false, nil},
		{"Russian ending on an English name", []string{"Проблема с Windowsом и Candorом после обновления"}, false, nil},
		{"Ukrainian", []string{"Добрий день! Чи можна перенести ліцензію на інший комп'ютер?"}, false, nil},
		{"one link", []string{"The crash is described at https://github.com/candor-dev/candor/issues/12 — any idea?"}, false, nil},
		{"a pasted log", []string{"Build failed:\n==========\n----------\nerror: 0000000000 at line 12"}, false, nil},
		{"short all-caps", []string{"HELP", "URGENT: ORDER 1234"}, false, nil},
		{"caseless shouting is impossible", []string{strings.Repeat("注意", 40)}, false, nil},
		{"laughter", []string{"haha that's great!!"}, false, nil},
		{"three links", []string{"See https://a.example/1, https://b.example/2 and https://c.example/3 for the details of my setup."}, false, []string{"links"}},

		// Single signals stay below the threshold.
		{"shouting", []string{"WHY DOES THE INSTALLER FAIL ON MY MACHINE EVERY TIME"}, false, []string{"shouting"}},
		{"repeated letters", []string{"Hellooooooooooo, is anyone there?"}, false, []string{"repeated_chars"}},
		{"exclamations", []string{"It works now!!!!!!! Thank you"}, false, []string{"repeated_chars"}},
		{"one phrase", []string{"Do you accept a guest post about your product on our blog?"}, false, []string{"spam_phrase"}},
		{"homoglyph", []string{"Cheap vіagra here"}, false, []string{"mixed_script"}},
		{"homoglyph in a Cyrillic word", []string{"Дешёвый пpoмокод"}, false, []string{"mixed_script"}},
		{"html link", []string{`I tried <a href="x">this</a> and it did not render, what am I doing wrong with the template?`}, false, []string{"link_markup"}},

		// Spam.
		{"bare shortener", []string{"bit.ly/3xYz"}, true, []string{"shortener", "link_only"}},
		{"shortener in https", []string{"Look: https://tinyurl.com/abc"}, true, []string{"shortener", "link_only"}},
		{"SEO pitch", []string{"SEO", "We will put your website on the first page of Google with quality backlinks. https://seo.example"}, true, []string{"spam_phrase"}},
		{"link farm", []string{"https://a.example https://b.example https://c.example https://d.example https://e.example https://f.example"}, true, []string{"links", "link_only"}},
		{"bbcode", []string{"[url=https://x.example]cheap[/url] [url=https://y.example]cheap[/url] [url=https://z.example]pills[/url]"}, true, []string{"links", "link_markup"}},
		{"shouted pitch", []string{"BUY FOLLOWERS NOW 100% GUARANTEED RESULTS!!!!!!"}, true, []string{"spam_phrase", "shouting", "repeated_chars"}},
		{"Cyrillic spam is spam for what it says", []string{"Раскрутка сайта: backlinks и guest post, пишите https://x.example https://y.example"}, true, []string{"links", "spam_phrase"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			score, signals := Score(c.text...)
			if (score >= DefaultSpamThreshold) != c.spam {
				t.Errorf("score %d %v: spam = %v, want %v", score, signals, !c.spam, c.spam)
			}
			if c.signals != nil && !slices.Equal(signals, c.signals) {
				t.Errorf("signals %v, want %v", signals, c.signals)
			}
			if c.signals == nil && !c.spam && score != 0 {
				t.Errorf("score %d %v for a genuine message", score, signals)
			}
		})
	}
}

// TestNonLatinNeverScores: the same genuine message scores the same in every script,
// and a long genuine message in any script scores zero.
func TestNonLatinNeverScores(t *testing.T) {
	for _, text := range []string{
		strings.Repeat("Здравствуйте, у меня вопрос по оплате. ", 50),
		strings.Repeat("您好，我对付款有疑问。", 100),
		strings.Repeat("مرحبا، لدي سؤال حول الدفع. ", 50),
		strings.Repeat("שלום, יש לי שאלה לגבי התשלום. ", 50),
		strings.Repeat("안녕하세요, 결제에 대해 질문이 있습니다. ", 50),
		strings.Repeat("สวัสดีครับ ผมมีคำถามเกี่ยวกับการชำระเงิน ", 50),
	} {
		if score, signals := Score(text); score != 0 {
			t.Errorf("%.30q…: score %d %v", text, score, signals)
		}
	}
}

// TestScoreIsLinear: a huge text of links is read in bounded time (no quadratic
// span matching); the test only needs to finish.
func TestScoreIsLinear(t *testing.T) {
	text := strings.Repeat("https://bit.ly/a bit.ly/b ", 1<<14)
	if score, _ := Score(text); score < DefaultSpamThreshold {
		t.Fatalf("score %d", score)
	}
}

package style

import "testing"

func TestCredit(t *testing.T) {
	tests := []struct{ in, form, want string }{
		// The three styles of one story print in one form.
		{"孙庆辉 摄", "{name} 摄", "孙庆辉 摄"},
		{"摄影：孙庆辉", "{name} 摄", "孙庆辉 摄"},
		{"图：周晓雨", "{name} 摄", "周晓雨 摄"},
		{"周晓雨摄", "{name} 摄", "周晓雨 摄"},
		{"孙庆辉", "{name} 摄", "孙庆辉 摄"},
		{"阿依·买买提 摄", "{name} 摄", "阿依·买买提 摄"},
		{"Photo by Li Ming", "Photo: {name}", "Photo: Li Ming"},
		{"photo: Zhou Xiaoyu", "Photo: {name}", "Photo: Zhou Xiaoyu"},
		{"Zhou Xiaoyu", "Photo: {name}", "Photo: Zhou Xiaoyu"},
		{"Photo: Mary O'Neil", "{name}/Dateline", "Mary O'Neil/Dateline"},
		// Not a plain name: as written.
		{"新华社 摄", "{name} 摄", "新华社 摄"},
		{"图片来源：余杭区融媒体中心", "{name} 摄", "图片来源：余杭区融媒体中心"},
		{"视觉中国", "{name} 摄", "视觉中国"},
		{"Courtesy of the Qingxi Museum", "Photo: {name}", "Courtesy of the Qingxi Museum"},
		{"Photo: Xinhua", "Photo: {name}", "Photo: Xinhua"},
		{"Photo: Getty Images", "Photo: {name}", "Photo: Getty Images"},
		{"Source: city government", "Photo: {name}", "Source: city government"},
		{"Photo: reporter's own", "Photo: {name}", "Photo: reporter's own"},
		// No form: as written.
		{"摄影：孙庆辉", "", "摄影：孙庆辉"},
		{"", "{name} 摄", ""},
	}
	for _, tt := range tests {
		if got := Credit(tt.in, tt.form); got != tt.want {
			t.Errorf("Credit(%q, %q) = %q; want %q", tt.in, tt.form, got, tt.want)
		}
	}
}

func TestCapital(t *testing.T) {
	tests := []struct{ in, lang, want string }{
		{"the old dike at Qiaotou", "en", "The old dike at Qiaotou"},
		{"The Citizens' Hall", "en", "The Citizens' Hall"},
		{"éclair stand", "en-GB", "Éclair stand"},
		{"“quoted” title", "en", "“quoted” title"},
		{"iPhone factory", "en", "iPhone factory"},
		{"老堤", "zh", "老堤"},
		{"the old dike", "zh", "the old dike"},
		{"", "en", ""},
	}
	for _, tt := range tests {
		if got := Capital(tt.in, tt.lang); got != tt.want {
			t.Errorf("Capital(%q, %q) = %q; want %q", tt.in, tt.lang, got, tt.want)
		}
	}
}

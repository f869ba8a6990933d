package corpus

// The vocabulary of the generated reports: the register of Chinese
// government and city news writing, with English equivalents. Paired lists
// (places, tags, authors …) hold the Chinese and the English form of the
// same thing, so both editions of a report tell the same story.

var zhWords = []string{
	"高质量发展", "数字化", "智慧城市", "社会治理", "考察团", "实地调研", "基层干部",
	"服务中心", "群众", "企业", "改革", "创新", "经验", "案例", "平台", "数据",
	"一站式", "便捷服务", "审批", "最多跑一次", "一网通办", "城市大脑", "交通",
	"医疗", "教育", "生态保护", "黄河流域", "产业园区", "科技城", "人才",
	"营商环境", "政务服务", "座谈交流", "学习", "对口单位", "长效机制", "工作人员",
	"现场", "指挥中心", "风险预警", "安全生产", "事故", "整治", "街道", "社区",
	"居民", "志愿者", "记者", "负责人", "表示", "介绍", "目前", "今年以来",
	"进一步", "加快推进", "切实", "大幅提高", "工作效率", "服务质量", "重要路径",
	"实践", "成果",
}

var enWords = []string{
	"the district", "officials", "the delegation", "residents", "local businesses",
	"a one-stop service hall", "digital governance", "the city brain", "data",
	"reform", "innovation", "the pilot program", "traffic", "hospitals", "schools",
	"the river basin", "the science park", "talent", "permits", "approvals",
	"the service center", "volunteers", "community workers", "the command center",
	"risk warnings", "workplace safety", "accidents", "inspections", "streets",
	"neighborhoods", "said", "explained", "visited", "learned", "compared notes",
	"in recent years", "this year", "further", "quickly", "sharply", "efficiency",
	"quality of service", "experience", "case studies", "the platform", "cloud computing",
	"high-quality growth", "the provincial government", "the municipal government",
	"a long-term mechanism", "field visit", "hands-on", "paperwork", "queues",
	"complaints", "disputes", "mediation", "the archive", "the museum", "the reporter",
	"first-hand",
}

// A pair is one thing named in both languages.
type pair struct{ zh, en string }

func (p pair) in(zh bool) string {
	if zh {
		return p.zh
	}
	return p.en
}

// places are the stops of the field trips.
var places = []pair{
	{"余杭区“市民之家”", "the Yuhang Citizens' Hall"},
	{"社会治理综合服务中心", "the Social Governance Service Center"},
	{"城市大脑运营指挥中心", "the City Brain Operations Center"},
	{"云计算博物馆", "the Cloud Computing Museum"},
	{"未来科技城", "Future Sci-Tech City"},
	{"街道便民服务站", "the street-level service station"},
	{"黄河生态廊道", "the Yellow River ecological corridor"},
	{"高新区人才公寓", "the high-tech zone talent apartments"},
	{"智慧交通调度室", "the smart traffic dispatch room"},
	{"社区养老服务中心", "the community elderly care center"},
	{"政务服务大厅", "the government services hall"},
	{"产业创新园区", "the industrial innovation park"},
}

// cities are the datelines.
var cities = []pair{
	{"杭州", "Hangzhou"}, {"郑州", "Zhengzhou"}, {"深圳", "Shenzhen"},
	{"成都", "Chengdu"}, {"苏州", "Suzhou"}, {"合肥", "Hefei"},
}

// tags: sixteen per language whatever the number of reports.
var tags = []pair{
	{"数智治理", "digital governance"}, {"智慧城市", "smart city"}, {"政务服务", "public services"},
	{"营商环境", "business climate"}, {"生态保护", "ecology"}, {"城市交通", "urban transport"},
	{"基层治理", "grassroots governance"}, {"科技创新", "technology"}, {"人才", "talent"},
	{"安全生产", "workplace safety"}, {"医疗", "health care"}, {"教育", "education"},
	{"郑州", "Zhengzhou"}, {"杭州", "Hangzhou"}, {"考察", "field visit"}, {"深度报道", "long read"},
}

var people = []pair{
	{"孙庆辉", "Sun Qinghui"}, {"李明", "Li Ming"}, {"周晓雨", "Zhou Xiaoyu"}, {"王芳", "Wang Fang"},
	{"陈立", "Chen Li"}, {"赵宁", "Zhao Ning"}, {"刘洋", "Liu Yang"}, {"黄蕾", "Huang Lei"},
}

var ordinals = []pair{{"一", "First"}, {"二", "Second"}, {"三", "Third"}, {"四", "Fourth"}}

var sidebarTitles = []pair{
	{"■马上行动", "■ Taking action"}, {"■相关链接", "■ Related"},
	{"■记者手记", "■ Reporter's notebook"}, {"■数据看板", "■ By the numbers"},
}

var tableRows = []pair{
	{"办件量", "Cases handled"}, {"平均用时", "Average time"}, {"群众满意度", "Satisfaction"},
	{"线上办理率", "Share online"}, {"事故数", "Accidents"},
}

const siteTOML = `# Site settings of a generated benchmark corpus (dateline/cmd/internal/corpus).
base_url = "https://news.example.org/"

[languages.zh]
tag = "zh-CN"
name = "中文"
title = "深度报道"

[languages.en]
tag = "en"
name = "English"
title = "Features"
`

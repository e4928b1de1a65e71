/**
 * Vocabulary of the synthetic population: each theme is one kind of journey a real user could be on,
 * with the queries they type, the items they meet (titles, annotations, categories) and their boards.
 * Some words are deliberately shared between themes ("white", "garden", "cake") as in real data.
 */
export interface Theme {
  id: string;
  name: string;
  type: 'situational' | 'evergreen';
  queries: string[];
  titles: string[];
  annotations: string[];
  categories: string[];
  boards: string[];
}

export const THEMES: readonly Theme[] = [
  {
    id: 'kitchen-renovation', name: 'Kitchen Renovation', type: 'situational',
    queries: ['white kitchen cabinets', 'kitchen cabinet hardware', 'quartz countertops', 'kitchen backsplash tile', 'kitchen island with seating', 'farmhouse sink', 'kitchen remodel cost', 'open shelving kitchen'],
    titles: ['Modern White Kitchen Cabinets With Brass Hardware', 'Quartz Countertops vs Granite: What to Choose', 'Subway Tile Backsplash Ideas for Small Kitchens', 'Kitchen Island With Seating for Four', 'Farmhouse Sink Installation Guide', 'Budget Kitchen Remodel Before and After'],
    annotations: ['kitchen cabinets', 'kitchen remodel', 'quartz countertops', 'backsplash tile', 'kitchen island', 'farmhouse sink', 'cabinet hardware'],
    categories: ['home improvement', 'kitchen design'],
    boards: ['Kitchen Remodel', 'Dream Kitchen'],
  },
  {
    id: 'wedding-planning', name: 'Wedding Planning', type: 'situational',
    queries: ['boho wedding dress', 'wedding centerpieces', 'rustic wedding venue', 'bridesmaid dresses sage green', 'wedding invitation wording', 'wedding cake ideas', 'wedding bouquet peonies', 'outdoor wedding ceremony'],
    titles: ['Boho Wedding Dresses With Lace Sleeves', 'DIY Wedding Centerpieces on a Budget', 'Rustic Barn Wedding Venue Inspiration', 'Sage Green Bridesmaid Dresses', 'Wedding Invitation Wording Examples', 'Peony Bridal Bouquet'],
    annotations: ['wedding dress', 'wedding centerpieces', 'wedding venue', 'bridesmaid dresses', 'wedding invitations', 'bridal bouquet', 'wedding cake'],
    categories: ['weddings', 'bridal fashion'],
    boards: ['Our Wedding', 'Wedding Ideas'],
  },
  {
    id: 'marathon-training', name: 'Marathon Training', type: 'situational',
    queries: ['marathon training plan', 'long run pacing', 'best running shoes for marathon', 'marathon nutrition gels', 'half marathon training schedule', 'running knee pain', 'tempo run workout', 'marathon taper week'],
    titles: ['16 Week Marathon Training Plan for Beginners', 'How to Pace Your Long Run', 'Best Running Shoes for Marathon Training', 'Marathon Fueling: Gels and Hydration', 'Tempo Run Workouts That Build Speed', 'Taper Week Tips Before Race Day'],
    annotations: ['marathon training', 'running shoes', 'long run', 'race day', 'tempo run', 'running nutrition', 'half marathon'],
    categories: ['running', 'fitness'],
    boards: ['Marathon Prep', 'Running'],
  },
  {
    id: 'baby-nursery', name: 'Baby Nursery', type: 'situational',
    queries: ['gender neutral nursery', 'nursery crib ideas', 'baby room decor', 'nursery glider chair', 'nursery wall mural', 'baby changing table organization', 'neutral nursery bedding'],
    titles: ['Gender Neutral Nursery Reveal', 'Convertible Crib Buying Guide', 'Cozy Nursery Glider Chairs', 'Hand Painted Nursery Wall Mural', 'Changing Table Organization Hacks', 'Soft Neutral Crib Bedding Sets'],
    annotations: ['nursery decor', 'baby crib', 'nursery glider', 'baby room', 'changing table', 'crib bedding', 'nursery mural'],
    categories: ['baby', 'kids rooms'],
    boards: ['Baby Nursery', 'Nursery Ideas'],
  },
  {
    id: 'japan-trip', name: 'Japan Trip', type: 'situational',
    queries: ['tokyo itinerary 7 days', 'kyoto temples', 'japan rail pass', 'osaka street food', 'things to do in tokyo', 'kyoto cherry blossom', 'japan travel tips', 'ryokan hot spring'],
    titles: ['The Perfect 7 Day Tokyo Itinerary', 'Best Kyoto Temples and Shrines', 'Is the Japan Rail Pass Worth It', 'Osaka Street Food Guide', 'Cherry Blossom Season in Kyoto', 'Staying in a Traditional Ryokan'],
    annotations: ['tokyo itinerary', 'kyoto temples', 'japan rail pass', 'osaka food', 'japan travel', 'cherry blossom', 'ryokan'],
    categories: ['travel', 'asia travel'],
    boards: ['Japan 2026', 'Japan Trip'],
  },
  {
    id: 'halloween-costumes', name: 'Halloween Costumes', type: 'situational',
    queries: ['diy halloween costume', 'couples halloween costume', 'kids halloween costume', 'halloween makeup skeleton', 'group costume ideas', 'witch costume'],
    titles: ['Easy DIY Halloween Costumes', 'Couples Halloween Costume Ideas', 'Skeleton Halloween Makeup Tutorial', 'Group Costumes for Friends', 'Last Minute Witch Costume', 'Kids Halloween Costumes You Can Sew'],
    annotations: ['halloween costume', 'couples costume', 'halloween makeup', 'group costume', 'witch costume', 'kids costume'],
    categories: ['holidays', 'halloween'],
    boards: ['Halloween', 'Costume Ideas'],
  },
  {
    id: 'bathroom-remodel', name: 'Bathroom Remodel', type: 'situational',
    queries: ['small bathroom remodel', 'walk in shower tile', 'bathroom vanity', 'bathroom floor tile', 'freestanding bathtub', 'bathroom mirror lighting'],
    titles: ['Small Bathroom Remodel on a Budget', 'Walk In Shower Tile Patterns', 'Floating Bathroom Vanity Ideas', 'Hexagon Bathroom Floor Tile', 'Freestanding Bathtub Inspiration', 'Bathroom Mirror Lighting Guide'],
    annotations: ['bathroom remodel', 'walk in shower', 'bathroom vanity', 'bathroom tile', 'freestanding bathtub', 'vanity lighting'],
    categories: ['home improvement', 'bathroom design'],
    boards: ['Bathroom Reno', 'Master Bath'],
  },
  {
    id: 'puppy-training', name: 'Puppy Training', type: 'situational',
    queries: ['puppy potty training', 'crate training puppy', 'puppy biting', 'best puppy food', 'puppy leash training', 'golden retriever puppy'],
    titles: ['Potty Training a Puppy in 7 Days', 'Crate Training Schedule for Puppies', 'How to Stop Puppy Biting', 'Choosing the Best Puppy Food', 'Loose Leash Walking for Puppies', 'Golden Retriever Puppy Care'],
    annotations: ['puppy training', 'crate training', 'potty training', 'puppy food', 'leash training', 'golden retriever'],
    categories: ['pets', 'dogs'],
    boards: ['New Puppy', 'Dog Stuff'],
  },
  {
    id: 'kids-birthday', name: 'Kids Birthday Party', type: 'situational',
    queries: ['dinosaur birthday party', 'kids birthday cake', 'birthday party games', 'party favor ideas', 'balloon garland', 'unicorn party decorations'],
    titles: ['Dinosaur Birthday Party Ideas', 'Easy Kids Birthday Cakes', 'Birthday Party Games for 5 Year Olds', 'Party Favors Kids Love', 'DIY Balloon Garland Tutorial', 'Unicorn Party Decorations'],
    annotations: ['birthday party', 'birthday cake', 'party games', 'party favors', 'balloon garland', 'party decorations'],
    categories: ['party planning', 'kids'],
    boards: ['Birthday Party', 'Party Ideas'],
  },
  {
    id: 'engagement-ring', name: 'Engagement Ring Selection', type: 'situational',
    queries: ['oval engagement ring', 'lab grown diamond', 'engagement ring settings', 'solitaire ring gold band', 'ring size guide', 'halo engagement ring'],
    titles: ['Oval Engagement Rings We Love', 'Lab Grown Diamonds Explained', 'Engagement Ring Settings Guide', 'Solitaire Ring on a Gold Band', 'How to Find Her Ring Size', 'Halo Engagement Ring Styles'],
    annotations: ['engagement ring', 'lab grown diamond', 'ring setting', 'solitaire ring', 'halo ring', 'diamond ring'],
    categories: ['jewelry', 'weddings'],
    boards: ['Rings', 'The Ring'],
  },
  {
    id: 'thanksgiving-dinner', name: 'Thanksgiving Dinner', type: 'situational',
    queries: ['thanksgiving turkey recipe', 'thanksgiving side dishes', 'pumpkin pie', 'thanksgiving table setting', 'make ahead stuffing', 'cranberry sauce recipe'],
    titles: ['Perfect Roast Turkey for Thanksgiving', 'Thanksgiving Side Dishes Everyone Loves', 'Classic Pumpkin Pie', 'Thanksgiving Table Setting Ideas', 'Make Ahead Stuffing', 'Homemade Cranberry Sauce'],
    annotations: ['thanksgiving turkey', 'thanksgiving sides', 'pumpkin pie', 'thanksgiving table', 'stuffing', 'cranberry sauce'],
    categories: ['holidays', 'recipes'],
    boards: ['Thanksgiving', 'Holiday Dinner'],
  },
  {
    id: 'backyard-patio', name: 'Backyard Patio', type: 'situational',
    queries: ['backyard patio ideas', 'paver patio', 'outdoor string lights', 'fire pit seating', 'pergola diy', 'patio furniture'],
    titles: ['Backyard Patio Makeover', 'How to Lay a Paver Patio', 'Outdoor String Light Ideas', 'Fire Pit Seating Area', 'DIY Pergola Plans', 'Patio Furniture for Small Spaces'],
    annotations: ['backyard patio', 'paver patio', 'string lights', 'fire pit', 'pergola', 'patio furniture'],
    categories: ['outdoor living', 'garden'],
    boards: ['Backyard', 'Patio Makeover'],
  },
  {
    id: 'vegetarian-cooking', name: 'Vegetarian Cooking', type: 'evergreen',
    queries: ['vegetarian dinner recipes', 'chickpea curry', 'lentil soup', 'tofu stir fry', 'vegetarian meal prep', 'veggie lasagna', 'black bean tacos'],
    titles: ['Easy Vegetarian Dinner Recipes', 'Creamy Chickpea Curry', 'Hearty Lentil Soup', 'Crispy Tofu Stir Fry', 'Vegetarian Meal Prep for the Week', 'Veggie Lasagna', 'Black Bean Tacos'],
    annotations: ['vegetarian recipes', 'chickpea curry', 'lentil soup', 'tofu stir fry', 'meal prep', 'veggie lasagna', 'black bean tacos'],
    categories: ['recipes', 'vegetarian'],
    boards: ['Veggie Dinners', 'Recipes to Try'],
  },
  {
    id: 'yoga-practice', name: 'Yoga Practice', type: 'evergreen',
    queries: ['morning yoga flow', 'yoga for back pain', 'vinyasa sequence', 'yoga poses for beginners', 'yin yoga', 'hip opening yoga'],
    titles: ['20 Minute Morning Yoga Flow', 'Yoga for Lower Back Pain', 'Vinyasa Sequence to Build Strength', 'Yoga Poses for Beginners', 'Relaxing Yin Yoga Practice', 'Hip Opening Yoga Sequence'],
    annotations: ['yoga flow', 'yoga poses', 'vinyasa', 'yin yoga', 'hip openers', 'yoga practice'],
    categories: ['yoga', 'wellness'],
    boards: ['Yoga', 'Daily Practice'],
  },
  {
    id: 'home-organization', name: 'Home Organization', type: 'evergreen',
    queries: ['pantry organization', 'closet organization', 'decluttering tips', 'drawer dividers', 'garage storage', 'label maker ideas'],
    titles: ['Pantry Organization With Clear Bins', 'Small Closet Organization', 'Decluttering Checklist Room by Room', 'Drawer Dividers That Work', 'Garage Storage Systems', 'Labeling Everything at Home'],
    annotations: ['pantry organization', 'closet organization', 'decluttering', 'drawer organizer', 'garage storage', 'storage bins'],
    categories: ['organization', 'home'],
    boards: ['Get Organized', 'Organization'],
  },
  {
    id: 'skincare-routine', name: 'Skincare Routine', type: 'evergreen',
    queries: ['skincare routine for dry skin', 'retinol serum', 'vitamin c serum', 'sunscreen for face', 'double cleansing', 'niacinamide'],
    titles: ['Skincare Routine for Dry Skin', 'Retinol Serum for Beginners', 'Best Vitamin C Serums', 'Daily Face Sunscreen Picks', 'Double Cleansing Explained', 'What Niacinamide Does'],
    annotations: ['skincare routine', 'retinol', 'vitamin c serum', 'face sunscreen', 'cleansing', 'niacinamide'],
    categories: ['beauty', 'skincare'],
    boards: ['Skincare', 'Beauty'],
  },
  {
    id: 'vegetable-garden', name: 'Vegetable Garden', type: 'evergreen',
    queries: ['raised garden beds', 'tomato plants', 'companion planting', 'vegetable garden layout', 'seed starting', 'composting at home'],
    titles: ['Build Raised Garden Beds', 'Growing Tomato Plants', 'Companion Planting Chart', 'Vegetable Garden Layout for Beginners', 'Seed Starting Indoors', 'Composting at Home'],
    annotations: ['raised beds', 'tomato plants', 'companion planting', 'vegetable garden', 'seed starting', 'compost'],
    categories: ['gardening', 'garden'],
    boards: ['Veggie Garden', 'Garden'],
  },
  {
    id: 'knitting', name: 'Knitting', type: 'evergreen',
    queries: ['knitting patterns', 'chunky knit blanket', 'knit sweater pattern', 'cable knit', 'beginner knitting', 'merino yarn'],
    titles: ['Free Knitting Patterns', 'Chunky Knit Blanket', 'Easy Knit Sweater Pattern', 'Cable Knit Tutorial', 'Knitting for Beginners', 'Choosing Merino Yarn'],
    annotations: ['knitting patterns', 'knit blanket', 'knit sweater', 'cable knit', 'yarn', 'knitting'],
    categories: ['crafts', 'knitting'],
    boards: ['Knitting', 'Yarn Projects'],
  },
  {
    id: 'watercolor-painting', name: 'Watercolor Painting', type: 'evergreen',
    queries: ['watercolor painting', 'watercolor flowers', 'watercolor landscape', 'watercolor brushes', 'loose watercolor', 'watercolor palette'],
    titles: ['Watercolor Painting for Beginners', 'Loose Watercolor Flowers', 'Simple Watercolor Landscapes', 'Best Watercolor Brushes', 'Wet on Wet Watercolor Technique', 'Watercolor Palette Setup'],
    annotations: ['watercolor', 'watercolor flowers', 'watercolor landscape', 'paint brushes', 'wet on wet', 'watercolor palette'],
    categories: ['art', 'painting'],
    boards: ['Watercolor', 'Art'],
  },
  {
    id: 'sourdough-baking', name: 'Sourdough Baking', type: 'evergreen',
    queries: ['sourdough starter', 'sourdough bread recipe', 'banneton', 'sourdough discard recipes', 'bread scoring', 'dutch oven bread'],
    titles: ['Make a Sourdough Starter', 'Beginner Sourdough Bread', 'Using a Banneton', 'Sourdough Discard Recipes', 'Bread Scoring Patterns', 'Dutch Oven Bread'],
    annotations: ['sourdough', 'sourdough starter', 'bread baking', 'sourdough discard', 'bread scoring', 'dutch oven'],
    categories: ['baking', 'recipes'],
    boards: ['Bread', 'Sourdough'],
  },
  {
    id: 'houseplants', name: 'Houseplants', type: 'evergreen',
    queries: ['monstera care', 'low light houseplants', 'fiddle leaf fig', 'pothos propagation', 'snake plant', 'repotting plants'],
    titles: ['Monstera Care Guide', 'Low Light Houseplants', 'Keeping a Fiddle Leaf Fig Alive', 'Pothos Propagation in Water', 'Snake Plant Care', 'When to Repot Houseplants'],
    annotations: ['houseplants', 'monstera', 'fiddle leaf fig', 'pothos', 'snake plant', 'plant care'],
    categories: ['plants', 'garden'],
    boards: ['Plants', 'Indoor Jungle'],
  },
  {
    id: 'woodworking', name: 'Woodworking', type: 'evergreen',
    queries: ['woodworking projects', 'dovetail joints', 'diy bookshelf', 'wood finishing', 'workbench plans', 'hand plane'],
    titles: ['Weekend Woodworking Projects', 'Cutting Dovetail Joints by Hand', 'DIY Bookshelf Plans', 'Wood Finishing Basics', 'Sturdy Workbench Plans', 'Tuning a Hand Plane'],
    annotations: ['woodworking', 'dovetail joints', 'bookshelf', 'wood finish', 'workbench', 'hand tools'],
    categories: ['diy', 'woodworking'],
    boards: ['Workshop', 'Woodworking'],
  },
  {
    id: 'street-style', name: 'Street Style', type: 'evergreen',
    queries: ['fall outfits', 'street style women', 'capsule wardrobe', 'trench coat outfit', 'white sneakers outfit', 'layering outfits'],
    titles: ['Fall Outfit Ideas', 'Street Style Looks', 'Build a Capsule Wardrobe', 'How to Style a Trench Coat', 'White Sneakers Outfits', 'Layering for Cold Days'],
    annotations: ['fall outfits', 'street style', 'capsule wardrobe', 'trench coat', 'sneakers', 'outfit ideas'],
    categories: ['fashion', 'womens fashion'],
    boards: ['Style', 'Outfits'],
  },
];

/** One-off activity that belongs to no journey: what a user glances at once and never returns to. */
export const NOISE_QUERIES: readonly string[] = [
  'weather tomorrow', 'funny cat memes', 'celebrity news', 'how many ounces in a cup', 'movie times', 'lottery numbers',
  'quotes about friendship', 'phone wallpaper', 'election results', 'best podcasts', 'iphone tips', 'zodiac signs',
  'nail art', 'tattoo ideas', 'car wash near me', 'football scores', 'crossword answers', 'meme templates',
];

export const NOISE_TITLES: readonly string[] = [
  'Funny Quotes to Brighten Your Day', 'Aesthetic Phone Wallpapers', 'Top Podcasts This Month', 'Zodiac Sign Traits',
  'Minimalist Tattoo Designs', 'Simple Nail Art', 'Vintage Car Photography', 'Cute Animal Photos', 'Trivia Questions',
];
